/** Replays a window of a node's journal against a card-management endpoint and compares outcomes and latency with the original. */
package io.chukei.gateway.replay;
