/** Netty transport choice (native epoll or NIO) shared by the node, the card-management simulator and the benchmarks. */
package io.chukei.gateway.transport;
