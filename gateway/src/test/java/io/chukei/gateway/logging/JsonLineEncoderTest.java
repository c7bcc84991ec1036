package io.chukei.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLineEncoderTest
{
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("io.chukei.gateway.cluster.ClusterView");
    private final JsonLineEncoder encoder = new JsonLineEncoder();

    @Test
    void writesOneObjectPerLineWithTheNamedFields()
    {
        context.putProperty("chukei.node", "2");
        final LoggingEvent event = new LoggingEvent("x", logger, Level.WARN, "Node {} sees peer {}: \"{}\"",
            null, new Object[] {2, 3, "SUSPECT"});
        event.setTimeStamp(0);
        event.setThreadName("chukei-probe");
        event.addKeyValuePair(new KeyValuePair("event", "peer-state"));
        event.addKeyValuePair(new KeyValuePair("municipality", "131016"));

        assertThat(encode(event)).isEqualTo("{\"ts\":\"1970-01-01T00:00:00Z\",\"level\":\"WARN\"," +
            "\"logger\":\"io.chukei.gateway.cluster.ClusterView\",\"thread\":\"chukei-probe\",\"node\":\"2\"," +
            "\"event\":\"peer-state\",\"municipality\":\"131016\",\"msg\":\"Node 2 sees peer 3: \\\"SUSPECT\\\"\"}\n");
    }

    @Test
    void keysOutsideTheNamedFieldsAndRawArgumentsNeverReachTheLine()
    {
        final LoggingEvent event = new LoggingEvent("x", logger, Level.INFO, "request {} accepted", null,
            new Object[] {"0123"});
        event.addKeyValuePair(new KeyValuePair("personalNumber", "123456789012"));
        event.addKeyValuePair(new KeyValuePair("name", "Yamada Taro"));
        event.addKeyValuePair(new KeyValuePair("requestId", "0123"));

        assertThat(encode(event))
            .doesNotContain("123456789012", "Yamada", "personalNumber", "arguments")
            .contains("\"requestId\":\"0123\"")
            .endsWith("}\n")
            .hasLineCount(1);
    }

    @Test
    void anErrorIsAnObjectWithItsFramesAndCause()
    {
        final LoggingEvent event = new LoggingEvent("x", logger, Level.ERROR, "failed", new IllegalStateException(
            "outer\nline", new java.io.IOException("inner")), null);

        assertThat(encode(event))
            .contains("\"error\":{\"class\":\"java.lang.IllegalStateException\",\"message\":\"outer\\nline\",\"frames\":[")
            .contains("\"cause\":{\"class\":\"java.io.IOException\",\"message\":\"inner\"")
            .hasLineCount(1);
    }

    private String encode(final LoggingEvent event)
    {
        // A bare LoggerContext has no MDC adapter; the node's has one.
        event.setMDCPropertyMap(java.util.Map.of());
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
