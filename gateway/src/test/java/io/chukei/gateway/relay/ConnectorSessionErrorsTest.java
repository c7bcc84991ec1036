package io.chukei.gateway.relay;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exception that reaches a connector session closes that connection alone; the network's own failures (resets, TLS)
 * stay at debug, a defect of the node's handling is a WARN that names the exception and where it was thrown, never
 * its message (which may quote a request's personal fields).
 */
class ConnectorSessionErrorsTest
{
    private static final String PERSONAL_NUMBER = "123456789018";

    @TempDir
    Path journalDirectory;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger sessionLog = (Logger)LoggerFactory.getLogger(ConnectorSession.class);
    private SessionHarness session;

    @BeforeEach
    void captureTheSessionsLog()
    {
        logged.start();
        sessionLog.addAppender(logged);
        session = new SessionHarness(journalDirectory, 16);
        session.open();
    }

    @AfterEach
    void release()
    {
        sessionLog.detachAppender(logged);
        session.close();
    }

    @Test
    void aDefectClosesTheConnectionWithAWarningThatSaysWhereButNotWhat()
    {
        session.failInPipeline(new IllegalStateException("personal number " + PERSONAL_NUMBER + " broke it"));

        assertThat(session.channelOpen()).isFalse();
        final List<String> warnings = warnings();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0))
            .contains("closed after an unexpected java.lang.IllegalStateException")
            .contains(SessionHarness.MUNICIPALITY)
            .contains(getClass().getName() + ".aDefectClosesTheConnectionWithAWarningThatSaysWhereButNotWhat:")
            .doesNotContain(PERSONAL_NUMBER);
        // Searchable in the JSON log: the event's name and the municipality as fields of their own.
        assertThat(logged.list.stream().filter(event -> event.getLevel() == Level.WARN).findFirst().orElseThrow()
            .getKeyValuePairs()).extracting(pair -> pair.key + "=" + pair.value)
            .containsExactly("event=connection-defect", "municipality=" + SessionHarness.MUNICIPALITY);
    }

    @Test
    void aDefectWrappedByADecoderIsNamedByItsCause()
    {
        session.failInPipeline(new DecoderException(new IndexOutOfBoundsException("index 70 " + PERSONAL_NUMBER)));

        assertThat(session.channelOpen()).isFalse();
        assertThat(warnings()).singleElement().asString()
            .contains("unexpected io.netty.handler.codec.DecoderException")
            .contains("(caused by java.lang.IndexOutOfBoundsException)")
            .doesNotContain(PERSONAL_NUMBER);
    }

    @Test
    void aDefectThrownWithoutAStackIsPlacedByTheExceptionAroundIt()
    {
        // As the JIT throws a NullPointerException it has thrown often from hot code (OmitStackTraceInFastThrow).
        final NullPointerException bare = new NullPointerException();
        bare.setStackTrace(new StackTraceElement[0]);

        session.failInPipeline(new DecoderException(bare));

        assertThat(warnings()).singleElement().asString()
            .contains("(caused by java.lang.NullPointerException) (no stack; around it) " + getClass().getName() +
                ".aDefectThrownWithoutAStackIsPlacedByTheExceptionAroundIt:");
    }

    @Test
    void aDefectThrownWithoutAStackIsPlacedByTheNearestExceptionAroundIt()
    {
        final NullPointerException bare = new NullPointerException();
        bare.setStackTrace(new StackTraceElement[0]);
        final DecoderException outer = new DecoderException(wrappedWhereCaught(bare));

        // The frames of the exception that caught and wrapped it, not of the decoder's around both.
        assertThat(ConnectorSession.thrownAt(outer))
            .contains("(no stack; around it) " + getClass().getName() + ".wrappedWhereCaught:");
    }

    private static IllegalStateException wrappedWhereCaught(final Throwable cause)
    {
        return new IllegalStateException(cause);
    }

    @Test
    void aCauseChainThatLoopsBackEndsTheSearch()
    {
        final DecoderException outer = new DecoderException("outer");
        final DecoderException inner = new DecoderException("inner", outer);
        outer.initCause(inner);

        assertThat(ConnectorSession.fromTheNetwork(outer)).isFalse();
        assertThat(ConnectorSession.thrownAt(outer)).contains(getClass().getName() + ".aCauseChainThatLoopsBackEndsTheSearch:");
    }

    @Test
    void aResetClosesTheConnectionQuietly()
    {
        session.failInPipeline(new IOException("Connection reset by peer"));

        assertThat(session.channelOpen()).isFalse();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aTlsFailureInsideTheDecoderIsTheNetworksToo()
    {
        session.failInPipeline(new DecoderException(new SSLException("bad record MAC")));

        assertThat(session.channelOpen()).isFalse();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void onlyInputOfTheNetworkCountsAsTheNetworks()
    {
        assertThat(ConnectorSession.fromTheNetwork(new io.netty.handler.ssl.NotSslRecordException("not TLS"))).isTrue();
        assertThat(ConnectorSession.fromTheNetwork(new java.nio.channels.ClosedChannelException())).isTrue();
        assertThat(ConnectorSession.fromTheNetwork(new DecoderException(new DecoderException(new IOException("reset")))))
            .isTrue();
        assertThat(ConnectorSession.fromTheNetwork(new DecoderException("no cause"))).isFalse();
        assertThat(ConnectorSession.fromTheNetwork(new IllegalStateException(new IOException("wrapped by a defect"))))
            .isFalse();
        assertThat(ConnectorSession.fromTheNetwork(new NullPointerException())).isFalse();
    }

    private List<String> warnings()
    {
        return logged.list.stream().filter(event -> event.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
