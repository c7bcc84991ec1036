/** An in-process development PKI: one self-signed CA that issues connector, node, card-management, operator and viewer certificates (one role URI each) as PEM files. */
package io.chukei.gateway.pki;
