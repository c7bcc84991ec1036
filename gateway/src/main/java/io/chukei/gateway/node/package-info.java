/** Assembly of one relay node: journal, recovery, upstream pool, connector server and admin endpoint, started and stopped in order. */
package io.chukei.gateway.node;
