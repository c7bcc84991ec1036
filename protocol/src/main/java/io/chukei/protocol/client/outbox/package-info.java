/** The connector outbox: a local Chronicle Queue of every request the SDK took and every final answer it gave, so a restarted connector resubmits what it had not finished. */
package io.chukei.protocol.client.outbox;
