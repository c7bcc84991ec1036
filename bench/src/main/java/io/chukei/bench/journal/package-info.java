/** Journal benchmarks: append cost per durability mode against a copy baseline, and restart (recovery) time. */
package io.chukei.bench.journal;
