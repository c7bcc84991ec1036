/** TLS 1.3 contexts with mutual authentication, and the municipality identity read from a peer's certificate. */
package io.chukei.gateway.tls;
