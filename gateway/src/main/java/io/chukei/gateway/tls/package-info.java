/** TLS 1.3 contexts with mutual authentication, the role each link accepts (PeerPolicy) and the identity read from a peer's certificate. */
package io.chukei.gateway.tls;
