package io.chukei.gateway.conformance;

import io.chukei.gateway.cli.ChukeiCommand;
import org.awaitility.Awaitility;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code chukei conformance} run in a thread of the test, on two free ports, its output kept. */
final class CommandRun
{
    private static final Pattern NODES = Pattern.compile("node 1 on ([0-9.]+):(\\d+), node 2 on ([0-9.]+):(\\d+)");

    private final StringWriter output = new StringWriter();
    private final CompletableFuture<Integer> exitCode;

    private CommandRun(final List<String> arguments)
    {
        final CommandLine commandLine = ChukeiCommand.commandLine();
        commandLine.setOut(new PrintWriter(output, true));
        commandLine.setErr(new PrintWriter(output, true));
        exitCode = CompletableFuture.supplyAsync(() -> commandLine.execute(arguments.toArray(String[]::new)));
    }

    static CommandRun start(final Path data, final String... more)
    {
        final List<String> arguments = new ArrayList<>(List.of("conformance", "--listen", "127.0.0.1:0,127.0.0.1:0",
            "--data", data.toString()));
        arguments.addAll(List.of(more));
        return new CommandRun(arguments);
    }

    /** The two listeners, once the command says where they are. */
    List<InetSocketAddress> awaitAddresses()
    {
        final Matcher[] found = new Matcher[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
        {
            final Matcher matcher = NODES.matcher(output.toString());
            found[0] = matcher;
            return matcher.find() || exitCode.isDone();
        });
        if (exitCode.isDone())
        {
            throw new AssertionError("chukei conformance ended before listening:\n" + output);
        }
        return List.of(new InetSocketAddress(found[0].group(1), Integer.parseInt(found[0].group(2))),
            new InetSocketAddress(found[0].group(3), Integer.parseInt(found[0].group(4))));
    }

    int exitCode() throws Exception
    {
        return exitCode.get(180, TimeUnit.SECONDS);
    }

    String output()
    {
        return output.toString();
    }
}
