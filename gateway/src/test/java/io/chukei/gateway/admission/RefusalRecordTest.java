package io.chukei.gateway.admission;

import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalRecordTest
{
    private static final int TOKYO = MunicipalityCodes.parse("131016");
    private static final int SAPPORO = MunicipalityCodes.parse("011002");

    private final AtomicLong nowNanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
    private final RefusalRecord record = new RefusalRecord(3, nowNanos::get);

    @Test
    void admissionRefusalsAreNeverJournaledOneByOneButSummarised()
    {
        for (int i = 0; i < 10_000; i++)
        {
            assertThat(record.journalIndividually(TOKYO, ErrorCode.RATE_LIMITED)).isFalse();
        }
        assertThat(record.journalIndividually(TOKYO, ErrorCode.OVERLOADED)).isFalse();

        assertThat(summary()).containsExactly("131016 rateLimited=10000 overloaded=1 notJournaled=0");
        assertThat(record.summarisedTotal()).isEqualTo(10_001);
    }

    @Test
    void contentRefusalsAreJournaledUpToTheBudgetPerMunicipalityAndSecond()
    {
        final List<Boolean> tokyo = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            tokyo.add(record.journalIndividually(TOKYO, ErrorCode.TEXT_OUTSIDE_REPERTOIRE));
        }
        // Another municipality has a budget of its own.
        assertThat(record.journalIndividually(SAPPORO, ErrorCode.REQUEST_ID_CONFLICT)).isTrue();
        nowNanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        final boolean nextSecond = record.journalIndividually(TOKYO, ErrorCode.TEXT_OUTSIDE_REPERTOIRE);

        assertThat(tokyo).containsExactly(true, true, true, false, false);
        assertThat(nextSecond).isTrue();
        assertThat(record.notJournaledTotal()).isEqualTo(2);
        assertThat(summary()).containsExactly("131016 rateLimited=0 overloaded=0 notJournaled=2");
    }

    @Test
    void aSummaryStartsAfreshAndNamesRefusalsWithoutAMunicipality()
    {
        record.journalIndividually(TOKYO, ErrorCode.RATE_LIMITED);
        summary();
        record.journalIndividually(MunicipalityCodes.INVALID, ErrorCode.OVERLOADED);

        assertThat(summary()).containsExactly("none rateLimited=0 overloaded=1 notJournaled=0");
        assertThat(summary()).isEmpty();
    }

    private List<String> summary()
    {
        final List<String> lines = new ArrayList<>();
        record.summarise((municipality, rateLimited, overloaded, notJournaled) -> lines.add(
            (municipality == null ? "none" : municipality) + " rateLimited=" + rateLimited + " overloaded=" + overloaded +
                " notJournaled=" + notJournaled));
        return lines;
    }
}
