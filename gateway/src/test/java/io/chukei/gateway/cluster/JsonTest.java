package io.chukei.gateway.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin JSON through Jackson: peers of either version read each other; text survives the round trip. */
class JsonTest
{
    @Test
    void aVersionOneSelfReportReadsWithTheNewVitalsAbsent()
    {
        final SelfReport report = Json.read("{\"id\":2,\"state\":\"DRAINING\",\"reason\":\"operator drain\"," +
            "\"operator\":\"draining\",\"inFlight\":4,\"drained\":false}\n", SelfReport.class);

        assertThat(report.id()).isEqualTo(2);
        assertThat(report.state()).isEqualTo("DRAINING");
        assertThat(report.inFlight()).isEqualTo(4);
        assertThat(report.version()).isNull();
        assertThat(report.eventLoopLagMs()).isNull();
    }

    @Test
    void fieldsOfANewerPeerAreIgnored()
    {
        final SelfReport report = Json.read("{\"id\":3,\"state\":\"ACTIVE\",\"reason\":\"\",\"version\":9," +
            "\"somethingNew\":{\"state\":\"ISOLATED\"}}", SelfReport.class);

        assertThat(report.state()).isEqualTo("ACTIVE");
        assertThat(report.version()).isEqualTo(9);
    }

    @Test
    void quotesNewlinesAndKanjiInAReasonSurviveTheRoundTrip()
    {
        final String reason = "disk \"sdb\" swap\n\u30c7\u30a3\u30b9\u30af\\";
        final SelfReport written = new SelfReport(1, "ISOLATED", reason, "isolated", 0, true, SelfReport.VERSION, 0L, 1L,
            "sync", 2.5);

        final String json = Json.write(written);

        assertThat(json).endsWith("}\n").doesNotContain("\n}");
        assertThat(Json.read(json, SelfReport.class)).isEqualTo(written);
    }

    @Test
    void unreadableJsonIsAnIllegalArgumentNamingTheType()
    {
        assertThatThrownBy(() -> Json.read("{\"id\":", SelfReport.class))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("JSON: not a SelfReport");
    }
}
