/** Per-batch accounts: which members of a declared batch this node accepted and how each was answered. */
package io.chukei.gateway.batch;
