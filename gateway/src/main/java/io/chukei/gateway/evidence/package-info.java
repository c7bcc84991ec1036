/** What a node keeps of itself for the engineer who must find a stall's cause: flight recording, GC log, recent log lines, and evidence bundles written on a trigger. */
package io.chukei.gateway.evidence;
