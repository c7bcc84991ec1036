/** The {@code chukei} command line (picocli): run, send, cardsim, pki, journal, admin, conformance and their helpers. */
package io.chukei.gateway.cli;
