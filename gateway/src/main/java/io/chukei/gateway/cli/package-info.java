/** The {@code chukei} command line (picocli): run, send, cardsim, pki and journal. */
package io.chukei.gateway.cli;
