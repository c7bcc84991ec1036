package io.chukei.gateway.cli;

import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Acceptance;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.Submission;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.Priority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code chukei send}: one request from the command line, the answer printed, the exit code
 * saying how it ended. With {@code --data} it finds the local node and the dev PKI there and
 * issues a connector certificate for the municipality from the dev CA when needed.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
        "Sends one request and prints the answer.",
        "Exit codes: 0 Result OK, 3 Result REFUSED by card management, 4 Rejected by the relay,",
        "5 no answer (deadline passed or node unreachable), 2 bad command line."
    })
final class SendCommand implements Callable<Integer>
{
    static final int EXIT_OK = 0;
    static final int EXIT_REFUSED = 3;
    static final int EXIT_REJECTED = 4;
    static final int EXIT_NO_ANSWER = 5;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "chukei-data",
        description = "Data directory of the local node (node.properties, pki/). Default: ${DEFAULT-VALUE}.")
    private Path data;

    @Option(names = "--pki", paramLabel = "DIR",
        description = "Dev PKI directory holding ca.crt and ca.key (default: DIR/pki); never created here.")
    private Path pkiDirectory;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--node", paramLabel = "HOST:PORT", description = "Connector address of the node (default: from DIR/node.properties).")
    private String node;

    @Option(names = "--municipality", required = true, paramLabel = "CODE", description = "6-digit local government code, e.g. 131016.")
    private String municipality;

    @Option(names = "--operation", required = true, paramLabel = "OP", converter = OperationName.class,
        description = "One of: PREISSUE_SETUP, CARD_ISSUE, CERT_CHANGE, CARD_SUSPEND, CARD_STATUS.")
    private Operation operation;

    @Option(names = "--priority", paramLabel = "CLASS", converter = PriorityName.class,
        description = "INTERACTIVE or BATCH (default: by operation).")
    private Priority priority;

    @Option(names = "--request-id", paramLabel = "UUID", description = "Request id; give the same one to resend a request.")
    private UUID requestId;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT10S", description = "Deadline from now (ISO-8601). Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--personal-number", paramLabel = "DIGITS")
    private String personalNumber;

    @Option(names = "--resident-code", paramLabel = "DIGITS")
    private String residentCode;

    @Option(names = "--date-of-birth", paramLabel = "YYYYMMDD")
    private String dateOfBirth;

    @Option(names = "--name-kanji", paramLabel = "TEXT")
    private String nameKanji;

    @Option(names = "--name-kana", paramLabel = "TEXT")
    private String nameKana;

    @Option(names = "--address", paramLabel = "TEXT")
    private String address;

    @Option(names = "--card-id", paramLabel = "DIGITS")
    private String cardId;

    @Option(names = "--application-id", paramLabel = "DIGITS")
    private String applicationId;

    @Option(names = "--pin-block", paramLabel = "HEX", description = "Encrypted PIN block as hex; sent opaque.")
    private String pinBlockHex;

    @Override
    public Integer call() throws Exception
    {
        final HostPort target = node != null ? HostPort.parse("--node", node) : NodeFile.connector(data);
        final Path pkiDir = pkiDirectory != null ? pkiDirectory : data.resolve("pki");
        if (!java.nio.file.Files.isRegularFile(pkiDir.resolve(DevPki.CA_CERTIFICATE_FILE)) ||
            !java.nio.file.Files.isRegularFile(pkiDir.resolve(DevPki.CA_KEY_FILE)))
        {
            // A new CA here would issue a certificate no node trusts: the send would only time out.
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no dev PKI in " +
                pkiDir.toAbsolutePath() + " (expected: " + DevPki.CA_CERTIFICATE_FILE + " and " + DevPki.CA_KEY_FILE +
                " there, created by the node at its first start; give the node's --data DIR or --pki DIR)");
        }
        final DevPki pki = DevPki.openOrCreate(pkiDir, MunicipalityCodes::isValid);
        final CertificateFiles files = pki.issueConnector(municipality);
        final SubmitRequest request = request();

        try (ConnectorClient client = ConnectorClient.builder()
            .nodes(List.of(target.toSocketAddress()))
            .sslContext(TlsContexts.client(files, PeerPolicy.relayClient()))
            .municipalityCode(municipality)
            .connectorName("chukei-send/0.1")
            .defaultTimeout(timeout)
            .build())
        {
            final Submission submission = client.send(request);
            System.out.println("request " + submission.requestId() + " sent to " + target);
            final Answer answer;
            try
            {
                answer = submission.answer().get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
            }
            catch (final java.util.concurrent.TimeoutException ex)
            {
                System.out.println("no answer within " + timeout + " (exit " + EXIT_NO_ANSWER + ")");
                return EXIT_NO_ANSWER;
            }
            final Optional<Acceptance> accepted = submission.accepted().getNow(Optional.empty());
            accepted.ifPresent(a -> System.out.println("accepted by node " + a.nodeId() + " at journal position " +
                a.journalPosition() + " (durability " + a.durability() + (a.alreadyKnown() ? ", already known" : "") + ")"));
            return print(answer);
        }
    }

    private SubmitRequest request()
    {
        final SubmitRequest.Builder builder = SubmitRequest.builder(operation).timeout(timeout);
        if (requestId != null)
        {
            builder.requestId(requestId);
        }
        if (priority != null)
        {
            builder.priority(priority);
        }
        if (personalNumber != null)
        {
            builder.personalNumber(personalNumber);
        }
        if (residentCode != null)
        {
            builder.residentCode(residentCode);
        }
        if (dateOfBirth != null)
        {
            builder.dateOfBirth(dateOfBirth);
        }
        if (nameKanji != null)
        {
            builder.nameKanji(nameKanji);
        }
        if (nameKana != null)
        {
            builder.nameKana(nameKana);
        }
        if (address != null)
        {
            builder.address(address);
        }
        if (cardId != null)
        {
            builder.cardId(cardId);
        }
        if (applicationId != null)
        {
            builder.applicationId(applicationId);
        }
        if (pinBlockHex != null)
        {
            builder.pinBlock(HexFormat.of().parseHex(pinBlockHex));
        }
        return builder.build();
    }

    private static int print(final Answer answer)
    {
        if (answer instanceof Answer.Result)
        {
            final Answer.Result result = (Answer.Result)answer;
            System.out.println("RESULT " + result.status() + " upstreamCode=" + result.upstreamCode() +
                (result.detail().isEmpty() ? "" : " detail=\"" + result.detail() + "\"") +
                (result.payload().length == 0 ? "" : " payload=\"" + new String(result.payload(), StandardCharsets.UTF_8) + "\"") +
                " node=" + result.nodeId());
            return result.status() == OutcomeStatus.OK ? EXIT_OK : EXIT_REFUSED;
        }
        final Answer.Rejected rejected = (Answer.Rejected)answer;
        System.out.println("REJECTED " + rejected.code() + " field=" + rejected.field() +
            rejected.position().stream().mapToObj(p -> " position=" + p).findFirst().orElse("") +
            rejected.codePoint().stream().mapToObj(c -> String.format(" codePoint=U+%04X", c)).findFirst().orElse("") +
            rejected.retryAfterMs().stream().mapToObj(r -> " retryAfterMs=" + r).findFirst().orElse("") +
            (rejected.local() ? " (decided by the client)" : " node=" + rejected.nodeId()) +
            "\n  " + rejected.detail());
        // Decided here because no node answered in time (none reachable, or every one redirecting): no answer, not a
        // node's rejection.
        if (rejected.local() && (rejected.code() == io.chukei.protocol.sbe.ErrorCode.DEADLINE_EXCEEDED ||
            rejected.code() == io.chukei.protocol.sbe.ErrorCode.DEADLINE_ALREADY_PASSED))
        {
            System.out.println("no node answered before the deadline (the lines above say why: unreachable, redirected, " +
                "refused) (exit " + EXIT_NO_ANSWER + ")");
            return EXIT_NO_ANSWER;
        }
        return EXIT_REJECTED;
    }

    /** An SBE enum by name, any case; its NULL_VAL (the wire's "absent") is no value to choose and is not offered. */
    private static <E extends Enum<E>> E sbeValue(final Class<E> type, final String option, final String text)
    {
        final StringBuilder expected = new StringBuilder();
        for (final E value : type.getEnumConstants())
        {
            if (value.name().equals("NULL_VAL"))
            {
                continue;
            }
            if (value.name().equalsIgnoreCase(text))
            {
                return value;
            }
            expected.append(expected.length() == 0 ? "" : ", ").append(value.name());
        }
        throw new picocli.CommandLine.TypeConversionException(option + ": '" + text + "' (expected: one of " + expected +
            ")");
    }

    /** {@code --operation}. */
    static final class OperationName implements picocli.CommandLine.ITypeConverter<Operation>
    {
        @Override
        public Operation convert(final String text)
        {
            return sbeValue(Operation.class, "--operation", text);
        }
    }

    /** {@code --priority}. */
    static final class PriorityName implements picocli.CommandLine.ITypeConverter<Priority>
    {
        @Override
        public Priority convert(final String text)
        {
            return sbeValue(Priority.class, "--priority", text);
        }
    }
}
