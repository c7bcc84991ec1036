/** Owner-only files and directories: how the node keeps its data directory away from other local users. */
package io.chukei.gateway.files;
