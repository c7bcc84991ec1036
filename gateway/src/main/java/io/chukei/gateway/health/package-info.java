/** The node's watch on its own health: event-loop lag, forwarding progress, journal latency, and waking after a stall. */
package io.chukei.gateway.health;
