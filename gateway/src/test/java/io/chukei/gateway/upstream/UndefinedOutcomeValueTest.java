package io.chukei.gateway.upstream;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.relay.InFlightRequest;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ForwardDecoder;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.OutcomeEncoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An Outcome with a status or duplicate flag this version does not define is not guessed at (a status read as "not
 * applied" could answer DEADLINE_EXCEEDED for an applied request; before, 255 was read so, and any other value threw
 * after its attempt was taken off the link, so the request was never asked again). Its attempt alone fails, its effect
 * unknown, and the request is forwarded again as a possible duplicate, whose answer card management's stored outcome
 * gives. The link stays up and the other requests on it are not moved (it used to close, moving every request waiting
 * on it, again at each retry of the one request).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UndefinedOutcomeValueTest
{
    private static final long ID_HI = 78;
    /** The request card management answers with the undefined value. */
    private static final long UNREADABLE_LO = 2;
    /** Another request waiting on the same link meanwhile. */
    private static final long BYSTANDER_LO = 3;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "status {0}, duplicate {1}")
    @CsvSource({"99, 0", "255, 0", "1, 7"})
    void anOutcomeWithAnUndefinedValueFailsItsAttemptAloneAndTheRequestIsAskedAgain(final short status,
        final short duplicate) throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.builder().directory(directory.resolve("journal"))
                 .nodeId(OneLinkUpstream.NODE_ID).build());
             ScriptedCardManagement cardManagement = new ScriptedCardManagement(status, duplicate);
             OneLinkUpstream upstream = new OneLinkUpstream(journal, cardManagement.port()))
        {
            final InFlightRequest bystander = upstream.forward(ID_HI, BYSTANDER_LO);
            assertThat(cardManagement.forwards.poll(20, TimeUnit.SECONDS)).as("the bystander's Forward")
                .isEqualTo(new Forwarded(1, BYSTANDER_LO, 1, false));
            final InFlightRequest request = upstream.forward(ID_HI, UNREADABLE_LO);
            assertThat(cardManagement.forwards.poll(20, TimeUnit.SECONDS)).as("the first Forward")
                .isEqualTo(new Forwarded(1, UNREADABLE_LO, 1, false));

            assertThat(cardManagement.forwards.poll(20, TimeUnit.SECONDS))
                .as("the request forwarded again after the undefined Outcome, on the same connection")
                .isEqualTo(new Forwarded(1, UNREADABLE_LO, 2, true));
            assertThat(request.attemptsMaybeApplied()).as("attempts whose effect is unknown or pending").isEqualTo(2);
            assertThat(bystander.attemptsMaybeApplied()).as("the bystander still on its first attempt").isEqualTo(1);

            cardManagement.answerNow.countDown();
            await("the stored outcome answers it, and the bystander is answered").atMost(Duration.ofSeconds(10))
                .until(() -> completed(journal, UNREADABLE_LO) && completed(journal, BYSTANDER_LO));
            assertThat(cardManagement.forwards).as("no Forward moved to another connection").isEmpty();
            assertThat(cardManagement.connections()).isEqualTo(1);
        }
    }

    private static boolean completed(final Journal journal, final long idLo)
    {
        return journal.trace(ID_HI, idLo).stream().anyMatch(e -> e.type() == JournalEventType.COMPLETED);
    }

    private record Forwarded(int connection, long idLo, int attempt, boolean possibleDuplicate)
    {
    }

    /**
     * Card management on a plain socket: the first Forward of {@link #UNREADABLE_LO} gets an Outcome with the undefined
     * values at once; every other Forward gets OK (duplicate for a retry, as a stored outcome) once the test says so.
     */
    private static final class ScriptedCardManagement implements AutoCloseable
    {
        final LinkedBlockingQueue<Forwarded> forwards = new LinkedBlockingQueue<>();
        final CountDownLatch answerNow = new CountDownLatch(1);
        private final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final short status;
        private final short duplicate;
        private final Thread thread;
        private final AtomicInteger connections = new AtomicInteger();
        private volatile Socket current;

        ScriptedCardManagement(final short status, final short duplicate) throws IOException
        {
            this.status = status;
            this.duplicate = duplicate;
            thread = new Thread(this::serve, "scripted-card-management");
            thread.setDaemon(true);
            thread.start();
        }

        int port()
        {
            return server.getLocalPort();
        }

        int connections()
        {
            return connections.get();
        }

        private void serve()
        {
            while (!server.isClosed())
            {
                try (Socket socket = server.accept())
                {
                    current = socket;
                    serve(socket, connections.incrementAndGet());
                }
                catch (final IOException closed)
                {
                    // The relay closed the link (or close() the server): take the next connection, if any.
                }
            }
        }

        private void serve(final Socket socket, final int connection) throws IOException
        {
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final OutputStream out = socket.getOutputStream();
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final ForwardDecoder forward = new ForwardDecoder();
            while (true)
            {
                final byte[] frame = new byte[in.readInt() - 4];
                in.readFully(frame);
                final UnsafeBuffer buffer = new UnsafeBuffer(frame);
                // After the SOFH header's encoding type (2 bytes): the SBE header.
                header.wrap(buffer, 2);
                if (header.templateId() != ForwardDecoder.TEMPLATE_ID)
                {
                    continue;
                }
                forward.wrap(buffer, 2 + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                final long hi = forward.requestId().hi();
                final long lo = forward.requestId().lo();
                final String municipality = forward.municipalityCode();
                final int attempt = forward.forwardAttempt();
                forwards.add(new Forwarded(connection, lo, attempt, forward.possibleDuplicate() == BooleanType.TRUE));
                if (lo == UNREADABLE_LO && attempt == 1)
                {
                    write(out, outcome(hi, lo, municipality, status, duplicate));
                }
                else
                {
                    // Answered once the test says so, by a thread of its own: this one goes on reading Forwards.
                    final byte[] ok = outcome(hi, lo, municipality, OutcomeStatus.OK.value(),
                        (attempt > 1 ? BooleanType.TRUE : BooleanType.FALSE).value());
                    final Thread later = new Thread(() ->
                    {
                        try
                        {
                            answerNow.await();
                            write(out, ok);
                        }
                        catch (final IOException | InterruptedException gone)
                        {
                            // The connection or the test ended first.
                        }
                    }, "scripted-card-management-answer");
                    later.setDaemon(true);
                    later.start();
                }
            }
        }

        private static void write(final OutputStream out, final byte[] frame) throws IOException
        {
            synchronized (out)
            {
                out.write(frame);
                out.flush();
            }
        }

        private static byte[] outcome(final long hi, final long lo, final String municipality, final short status,
            final short duplicate)
        {
            final ByteBuf frame = Unpooled.buffer();
            final FrameWriter writer = new FrameWriter();
            final OutcomeEncoder outcome = writer.begin(frame, new OutcomeEncoder(), 256);
            outcome.requestId().hi(hi).lo(lo);
            outcome.status(OutcomeStatus.OK).upstreamCode(0).duplicate(BooleanType.FALSE).municipalityCode(municipality)
                .putDetail(new byte[0], 0, 0).putPayload(new byte[0], 0, 0);
            writer.finish(outcome);
            final int body = SofhFrame.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;
            // Written raw: the encoder takes only the values its enums define.
            frame.setByte(body + OutcomeEncoder.statusEncodingOffset(), status);
            frame.setByte(body + OutcomeEncoder.duplicateEncodingOffset(), duplicate);
            return ByteBufUtil.getBytes(frame);
        }

        @Override
        public void close() throws Exception
        {
            answerNow.countDown();
            server.close();
            final Socket socket = current;
            if (socket != null)
            {
                // Its reader is blocked on the relay's next frame; interrupting a thread does not wake that.
                socket.close();
            }
            thread.interrupt();
            thread.join(5_000);
            assertThat(thread.isAlive()).as("the scripted card management stopped").isFalse();
        }
    }
}
