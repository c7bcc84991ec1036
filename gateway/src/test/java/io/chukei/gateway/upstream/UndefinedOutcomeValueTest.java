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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An Outcome with a status or duplicate flag this version does not define is not guessed at (a status read as "not
 * applied" could answer DEADLINE_EXCEEDED for an applied request; before, 255 was read so, and any other value threw
 * after its attempt was taken off the link, so the request was never asked again). The link closes, the attempt
 * moves with the others as one whose effect is unknown, and the request is forwarded again as a possible duplicate,
 * whose answer card management's stored outcome gives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UndefinedOutcomeValueTest
{
    private static final long ID_HI = 78;
    private static final long ID_LO = 2;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "status {0}, duplicate {1}")
    @CsvSource({"99, 0", "255, 0", "1, 7"})
    void anOutcomeWithAnUndefinedValueLeavesTheAttemptsEffectUnknownAndTheRequestIsAskedAgain(final short status,
        final short duplicate) throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.builder().directory(directory.resolve("journal"))
                 .nodeId(OneLinkUpstream.NODE_ID).build());
             ScriptedCardManagement cardManagement = new ScriptedCardManagement(status, duplicate);
             OneLinkUpstream upstream = new OneLinkUpstream(journal, cardManagement.port()))
        {
            final InFlightRequest request = upstream.forward(ID_HI, ID_LO);

            final Forwarded first = cardManagement.forwards.poll(20, TimeUnit.SECONDS);
            assertThat(first).as("the first Forward").isNotNull();
            assertThat(first.attempt()).isEqualTo(1);
            final Forwarded second = cardManagement.forwards.poll(20, TimeUnit.SECONDS);
            assertThat(second).as("the request forwarded again after the undefined Outcome").isNotNull();
            assertThat(second.attempt()).isEqualTo(2);
            assertThat(second.possibleDuplicate()).isTrue();
            assertThat(second.connection()).as("on a new connection").isEqualTo(first.connection() + 1);
            assertThat(request.attemptsMaybeApplied()).as("attempts whose effect is unknown or pending").isEqualTo(2);

            cardManagement.answerNow.countDown();
            await("the stored outcome answers it").atMost(Duration.ofSeconds(10)).until(() ->
                journal.trace(ID_HI, ID_LO).stream().anyMatch(e -> e.type() == JournalEventType.COMPLETED));
        }
    }

    private record Forwarded(int connection, int attempt, boolean possibleDuplicate)
    {
    }

    /**
     * Card management on a plain socket: the first connection's first Forward gets an Outcome with the undefined
     * values; a later connection's Forward gets OK (duplicate, as a stored outcome) once the test says so.
     */
    private static final class ScriptedCardManagement implements AutoCloseable
    {
        final LinkedBlockingQueue<Forwarded> forwards = new LinkedBlockingQueue<>();
        final CountDownLatch answerNow = new CountDownLatch(1);
        private final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final short status;
        private final short duplicate;
        private final Thread thread;
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

        private void serve()
        {
            for (int connection = 1; !server.isClosed(); connection++)
            {
                try (Socket socket = server.accept())
                {
                    current = socket;
                    serve(socket, connection);
                }
                catch (final IOException closed)
                {
                    // The relay closed the link (or close() the server): take the next connection, if any.
                }
                catch (final InterruptedException end)
                {
                    return;
                }
            }
        }

        private void serve(final Socket socket, final int connection) throws IOException, InterruptedException
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
                forwards.add(new Forwarded(connection, forward.forwardAttempt(),
                    forward.possibleDuplicate() == BooleanType.TRUE));
                if (connection == 1)
                {
                    out.write(outcome(hi, lo, municipality, status, duplicate));
                }
                else
                {
                    answerNow.await();
                    out.write(outcome(hi, lo, municipality, OutcomeStatus.OK.value(), BooleanType.TRUE.value()));
                }
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
