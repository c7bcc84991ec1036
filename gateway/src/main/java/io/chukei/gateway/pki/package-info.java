/** An in-process development PKI: one self-signed CA that issues connector, node and upstream certificates as PEM files. */
package io.chukei.gateway.pki;
