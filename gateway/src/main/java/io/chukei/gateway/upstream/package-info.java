/** Persistent, pipelined connections to card management and the forwarder that retries a request on another endpoint until its deadline. */
package io.chukei.gateway.upstream;
