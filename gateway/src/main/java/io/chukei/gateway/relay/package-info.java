/** The connector-facing TLS server: sessions, heartbeats and the accept → journal → forward → answer path of each Submit. */
package io.chukei.gateway.relay;
