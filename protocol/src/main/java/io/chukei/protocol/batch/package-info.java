/** Batch accounts as nodes and connectors both see them: how several nodes' per-member states merge into one. */
package io.chukei.protocol.batch;
