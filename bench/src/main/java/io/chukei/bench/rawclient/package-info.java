/** Frames for connectors written by hand (no SDK), as hostile or stuck connectors in benchmarks and tests are. */
package io.chukei.bench.rawclient;
