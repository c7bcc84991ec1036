package io.chukei.gateway.relay;

import io.chukei.gateway.metrics.MunicipalityOutcome;
import io.chukei.gateway.metrics.TopMunicipalities;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static io.chukei.gateway.relay.SessionHarness.MUNICIPALITY;
import static org.assertj.core.api.Assertions.assertThat;

/** The relay feeds chukei_municipality_*: each request counted for its certificate's municipality by how it ended. */
class MunicipalityOutcomeRecordingTest
{
    private static final byte[] PAYLOAD = "ACTIVE".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path journalDirectory;

    @Test
    @Timeout(30)
    void anAnsweredRequestCountsAsAcceptedAndOkWithItsLatency()
    {
        try (SessionHarness session = namedSession())
        {
            final InFlightRequest request = accept(session, 2);
            session.answer(request, OutcomeStatus.OK, "applied", PAYLOAD);
            session.nextReply().result();

            assertThat(count(session, MunicipalityOutcome.ACCEPTED)).isEqualTo(1);
            assertThat(count(session, MunicipalityOutcome.OK)).isEqualTo(1);
            assertThat(count(session, MunicipalityOutcome.REJECTED)).isZero();
            assertThat(session.metrics().scrape())
                .contains("chukei_municipality_request_duration_seconds_count{node=\"3\",municipality=\"131016\"} 1\n");
        }
    }

    @Test
    @Timeout(30)
    void aRefusalByCardManagementCountsAsRefused()
    {
        try (SessionHarness session = namedSession())
        {
            final InFlightRequest request = accept(session, 2);
            session.answer(request, OutcomeStatus.REFUSED, "no such card", PAYLOAD);
            session.nextReply().result();

            assertThat(count(session, MunicipalityOutcome.REFUSED)).isEqualTo(1);
            assertThat(count(session, MunicipalityOutcome.OK)).isZero();
        }
    }

    @Test
    @Timeout(30)
    void aSubmitRejectedBeforeAcceptanceCountsAsRejectedWithoutALatency()
    {
        try (SessionHarness session = namedSession())
        {
            session.send(session.certChange(2, "12345678901X", ""));
            session.nextReply().rejected();

            assertThat(count(session, MunicipalityOutcome.REJECTED)).isEqualTo(1);
            assertThat(count(session, MunicipalityOutcome.ACCEPTED)).isZero();
            assertThat(session.metrics().scrape())
                .contains("chukei_municipality_request_duration_seconds_count{node=\"3\",municipality=\"131016\"} 0\n");
        }
    }

    @Test
    @Timeout(30)
    void aPassedDeadlineCountsAsRejectedWithItsLatency()
    {
        try (SessionHarness session = namedSession())
        {
            session.send(session.cardStatus(2, SessionHarness.CARD_ID, Duration.ofMillis(100), false));
            session.nextReply().accepted();
            session.passTime(Duration.ofMillis(100));
            session.nextReply().rejected();

            assertThat(count(session, MunicipalityOutcome.ACCEPTED)).isEqualTo(1);
            assertThat(count(session, MunicipalityOutcome.REJECTED)).isEqualTo(1);
            assertThat(session.metrics().scrape())
                .contains("chukei_municipality_request_duration_seconds_count{node=\"3\",municipality=\"131016\"} 1\n");
        }
    }

    @Test
    @Timeout(30)
    void beforeTheMunicipalityIsNamedItsRequestsCountAsOther()
    {
        try (SessionHarness session = new SessionHarness(journalDirectory, 16))
        {
            session.open();
            accept(session, 1);

            assertThat(session.metrics().municipalities().named()).isEmpty();
            assertThat(session.metrics().municipalities().count(TopMunicipalities.OTHER,
                MunicipalityOutcome.ACCEPTED.ordinal())).isEqualTo(1);
        }
    }

    /** A session whose municipality was busy enough in the last ranking to be named. */
    private SessionHarness namedSession()
    {
        final SessionHarness session = new SessionHarness(journalDirectory, 16);
        session.open();
        accept(session, 1);
        session.metrics().rerankIfDue();
        assertThat(session.metrics().municipalities().named()).containsExactly(MUNICIPALITY);
        return session;
    }

    private static long count(final SessionHarness session, final MunicipalityOutcome outcome)
    {
        return session.metrics().municipalities().count(MUNICIPALITY, outcome.ordinal());
    }

    private static InFlightRequest accept(final SessionHarness session, final long idLo)
    {
        session.send(session.cardStatus(idLo));
        assertThat(session.nextReply().accepted().requestId().lo()).isEqualTo(idLo);
        return session.forwarded().get(session.forwarded().size() - 1);
    }
}
