/** Network namespaces, veth links, nft drop rules and tc shaping for real network faults in tests and the soak. */
package io.chukei.bench.netlab;
