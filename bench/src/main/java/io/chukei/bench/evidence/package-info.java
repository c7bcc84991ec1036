/** How long a node takes from a trigger to a complete evidence bundle, under load. */
package io.chukei.bench.evidence;
