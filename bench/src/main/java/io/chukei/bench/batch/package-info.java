/** What batch accounting costs on the node's event loop (JMH). */
package io.chukei.bench.batch;
