/** The relay node's configuration: defaults, one object per concern, loaded from a properties file and validated once. */
package io.chukei.gateway.config;
