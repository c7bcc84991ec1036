/** The {@code chukei} command line (picocli): the entry point and its subcommands. */
package io.chukei.gateway.cli;
