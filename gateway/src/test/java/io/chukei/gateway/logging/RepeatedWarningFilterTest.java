package io.chukei.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedWarningFilterTest
{
    private final AtomicLong nowMs = new AtomicLong(1_000);
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Logger log;

    @BeforeEach
    void setUp()
    {
        final RepeatedWarningFilter filter = new RepeatedWarningFilter(nowMs::get);
        filter.setBurst(2);
        filter.setWindowMs(10_000);
        filter.start();
        context.addTurboFilter(filter);
        logged.setContext(context);
        logged.start();
        log = context.getLogger("test");
        log.setLevel(Level.INFO);
        log.addAppender(logged);
    }

    @Test
    void aStormOfTheSameWarningLogsTheBurstThenOneCountedSummary()
    {
        for (int i = 0; i < 300; i++)
        {
            log.warn("Upstream {}: {}; closing the link", 1, "SslClosedEngineException");
        }
        assertThat(logged.list).hasSize(2);

        nowMs.addAndGet(10_000);
        log.warn("Upstream {}: {}; closing the link", 1, "SslClosedEngineException");

        assertThat(logged.list).hasSize(4);
        assertThat(logged.list.get(2).getFormattedMessage())
            .isEqualTo("298 more of this warning were not logged in the previous 10000 ms: Upstream {}: {}; closing the link");
        assertThat(logged.list.get(3).getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void differentWarningsAndInfoLinesAreNotFolded()
    {
        for (int i = 0; i < 5; i++)
        {
            log.warn("first kind {}", i);
            log.warn("second kind {}", i);
            log.info("progress {}", i);
        }

        assertThat(logged.list).hasSize(2 + 2 + 5);
    }
}
