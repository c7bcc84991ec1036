/** Meters of the relay, created once at start-up and never looked up on the hot path. */
package io.chukei.gateway.metrics;
