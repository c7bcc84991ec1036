/** Logback parts: repeated warnings folded into counted summaries, and the one-JSON-object-per-line encoder. */
package io.chukei.gateway.logging;
