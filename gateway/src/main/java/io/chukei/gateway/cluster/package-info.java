/** The cluster: member list, this node's own state, peer probes, the combined view and its admin endpoints. */
package io.chukei.gateway.cluster;
