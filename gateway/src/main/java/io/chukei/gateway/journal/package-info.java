/** The relay node's journal: every request's story on Chronicle Queue, group-committed syncs, checkpoints and recovery. */
package io.chukei.gateway.journal;
