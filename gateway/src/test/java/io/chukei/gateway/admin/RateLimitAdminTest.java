package io.chukei.gateway.admin;

import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code /admission/limits}: what reaches the audit journal is a checked municipality code, never raw request text. */
class RateLimitAdminTest
{
    @TempDir
    Path dataDir;

    private Journal journal;
    private RateLimitAdmin admin;

    @BeforeEach
    void open()
    {
        journal = Journal.open(JournalConfig.builder().directory(dataDir.resolve("journal")).nodeId(1).build());
        admin = new RateLimitAdmin(new MunicipalityRateLimiter(AdmissionConfig.builder().defaultRate(30, 60).build()),
            new ActionAudit(journal, new SimpleMeterRegistry()));
    }

    @AfterEach
    void closeJournal()
    {
        journal.close();
    }

    @Test
    void clearingAnOverrideIsAuditedWithTheOperatorsIdentity()
    {
        final AdminRoutes.Response cleared = post("code", "131016", "clear", "true");
        assertThat(cleared.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(cleared.body()).doesNotContain("auditWarning");

        assertThat(journal.trace(0, 0)).extracting(JournalEvent::summary).singleElement().asString()
            .contains("actor=operator:alice").contains("municipality 131016 override none cleared");
    }

    @Test
    void aChangeWhoseAuditEntryTheJournalCannotTakeIsMadeAndTheAnswerSaysSo()
    {
        journal.close();

        final AdminRoutes.Response changed = post("code", "131016", "rate", "5", "burst", "10");

        assertThat(changed.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(changed.body()).contains("\"131016\":{\"perSecond\":5,\"burst\":10}")
            .endsWith(",\"auditWarning\":\"not journaled: the journal could not write the entry (the node's log says why)\"}\n");
        assertThat(io.chukei.gateway.cluster.Json.tree(changed.body()).path("auditWarning").asText()).startsWith("not journaled");
    }

    @Test
    void aChangeIsAuditedInTheWordsOfTheLimitsNotOfTheirJavaRecord()
    {
        assertThat(post("code", "131016", "rate", "5", "burst", "10").status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(post("default", "true", "rate", "40", "burst", "80").status()).isEqualTo(HttpResponseStatus.OK);

        assertThat(journal.trace(0, 0)).extracting(JournalEvent::summary).containsExactly(
            "actor=operator:alice action=rate-limit detail=\"municipality 131016 rate=30 burst=60 -> rate=5 burst=10\"",
            "actor=operator:alice action=rate-limit detail=\"default rate=30 burst=60 -> rate=40 burst=80\"");
    }

    @Test
    void aLimitForACodeWithAWrongCheckDigitIsRefused()
    {
        assertThatThrownBy(() -> post("code", "131017", "rate", "5", "burst", "10"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("code: '131017' (expected: a municipality code whose last digit is the JIS X 0402 check digit " +
                "of the first five)");
        assertThat(journal.trace(0, 0)).isEmpty();
    }

    @Test
    void aClearForSomethingThatIsNoMunicipalityCodeIsRefusedAndNotAudited()
    {
        assertThatThrownBy(() -> post("code", "131016\r\n2026-11-30 INFO forged", "clear", "true"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("code: '131016\r\n2026-11-30 INFO forged' (expected: a 6-digit municipality code)");
        assertThat(journal.trace(0, 0)).isEmpty();
    }

    private AdminRoutes.Response post(final String... keyValues)
    {
        final Map<String, List<String>> query = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            query.put(keyValues[i], List.of(keyValues[i + 1]));
        }
        return admin.handle(new AdminCaller(io.chukei.gateway.pki.PeerRole.OPERATOR, "alice"), HttpMethod.POST, query);
    }
}
