/** The open-loop load generator: intended start times, real TLS connectors, HdrHistogram logs, a summary and a plot. */
package io.chukei.bench.loadgen;
