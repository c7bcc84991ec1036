/** Admission: per-municipality rate limits, fair queueing by priority, the adaptive upstream concurrency limit, connection caps and their counters. */
package io.chukei.gateway.admission;
