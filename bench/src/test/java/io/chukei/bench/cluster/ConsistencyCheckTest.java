package io.chukei.bench.cluster;

import io.chukei.protocol.client.Answer;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ConsistencyCheckTest
{
    private record Recorded(UUID requestId, String municipality, Answer answer, int answers) implements RequestRecord
    {
    }

    private static Recorded result(final UUID id)
    {
        return new Recorded(id, "131016", new Answer.Result(id, 1, OutcomeStatus.OK, 0, 0L, "", new byte[0]), 1);
    }

    private static Recorded rejected(final UUID id, final ErrorCode code)
    {
        return new Recorded(id, "131016", new Answer.Rejected(id, 1, code, FieldId.NONE, OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty(), "", false), 1);
    }

    @Test
    void everyRequestAnsweredAndAppliedOnceIsConsistent()
    {
        final UUID a = UUID.randomUUID();
        final UUID b = UUID.randomUUID();

        final ConsistencyCheck.Report report = ConsistencyCheck.check(List.of(result(a), result(b)), Map.of(a, 1, b, 1),
            List.of(), Set.of());

        assertThat(report.ok()).isTrue();
        assertThat(report.results()).isEqualTo(2);
        assertThat(report.table()).contains("consistency: OK");
    }

    @Test
    void aRequestWithoutAnswerOrAResultNeverAppliedIsLost()
    {
        final UUID unanswered = UUID.randomUUID();
        final UUID neverApplied = UUID.randomUUID();

        final ConsistencyCheck.Report report = ConsistencyCheck.check(
            List.of(new Recorded(unanswered, "131016", null, 0), result(neverApplied)), Map.of(), List.of(), Set.of());

        assertThat(report.lost()).isEqualTo(2);
        assertThat(report.ok()).isFalse();
        assertThat(report.table()).contains("consistency: FAILED").contains("lost " + unanswered);
    }

    @Test
    void appliedTwiceOrAnsweredTwiceIsDuplicated()
    {
        final UUID twiceApplied = UUID.randomUUID();
        final UUID twiceAnswered = UUID.randomUUID();
        final Recorded answeredTwice = new Recorded(twiceAnswered, "131016", result(twiceAnswered).answer(), 2);

        final ConsistencyCheck.Report report = ConsistencyCheck.check(List.of(result(twiceApplied), answeredTwice),
            Map.of(twiceApplied, 2, twiceAnswered, 1), List.of(), Set.of());

        assertThat(report.duplicated()).isEqualTo(2);
        assertThat(report.ok()).isFalse();
    }

    @Test
    void disallowedRejectionsRefusedButAppliedAndUnsentAppliedAreUnexpected()
    {
        final UUID overloaded = UUID.randomUUID();
        final UUID refusedButApplied = UUID.randomUUID();
        final UUID lateButApplied = UUID.randomUUID();
        final UUID deniedButApplied = UUID.randomUUID();
        final UUID neverSent = UUID.randomUUID();

        final ConsistencyCheck.Report report = ConsistencyCheck.check(
            List.of(rejected(overloaded, ErrorCode.OVERLOADED), rejected(refusedButApplied, ErrorCode.RATE_LIMITED),
                rejected(lateButApplied, ErrorCode.OUTCOME_UNKNOWN), rejected(deniedButApplied, ErrorCode.DEADLINE_EXCEEDED)),
            Map.of(refusedButApplied, 1, lateButApplied, 1, deniedButApplied, 1, neverSent, 1), List.of(),
            Set.of(ErrorCode.RATE_LIMITED, ErrorCode.DEADLINE_EXCEEDED, ErrorCode.OUTCOME_UNKNOWN));

        // OVERLOADED not allowed; RATE_LIMITED yet applied; the relay's DEADLINE_EXCEEDED (nothing applied) yet applied;
        // applied but never sent. An unknown outcome may have been applied.
        assertThat(report.unexpected()).isEqualTo(4);
        assertThat(report.rejectedByCode()).containsEntry(ErrorCode.OVERLOADED, 1).containsEntry(ErrorCode.RATE_LIMITED, 1);
    }

    @Test
    void aRequestResolvedByASameIdResendAfterTheSdksDeadlineIsJudgedByThatAnswerAndCounted()
    {
        final UUID resolved = UUID.randomUUID();
        final UUID stillUnknown = UUID.randomUUID();
        final RequestRecord resent = new RequestRecord()
        {
            @Override
            public UUID requestId()
            {
                return resolved;
            }

            @Override
            public String municipality()
            {
                return "131016";
            }

            @Override
            public Answer answer()
            {
                return result(resolved).answer();
            }

            @Override
            public int answers()
            {
                return 1;
            }

            @Override
            public boolean resolvedAfterLocalDeadline()
            {
                return true;
            }
        };
        final Recorded localDeadline = new Recorded(stillUnknown, "131016", new Answer.Rejected(stillUnknown, Answer.LOCAL_NODE_ID,
            ErrorCode.DEADLINE_EXCEEDED, FieldId.DEADLINE, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
            "", true), 1);

        final ConsistencyCheck.Report report = ConsistencyCheck.check(List.of(resent, localDeadline),
            Map.of(resolved, 1), List.of(), Set.of());

        // The resolved one is a Result applied once; the one left with the SDK's verdict is still reported.
        assertThat(report.resolvedByResend()).isEqualTo(1);
        assertThat(report.results()).isEqualTo(1);
        assertThat(report.unexpected()).isEqualTo(1);
        assertThat(report.table()).contains("resolved by resend").contains("unexpected " + stillUnknown);
    }

    @Test
    void readsOneNodesStateOutOfTheClusterJson()
    {
        final String json = "{\"node\":1,\"nodes\":[{\"id\":1,\"state\":\"ACTIVE\",\"connector\":\"127.0.0.1:7400\"}," +
            "{\"state\":\"SUSPECT\",\"id\":2,\"reason\":\"3 probes missed\"}]}";

        assertThat(ClusterViewJson.stateOf(json, 2)).contains("SUSPECT");
        assertThat(ClusterViewJson.stateOf(json, 1)).contains("ACTIVE");
        assertThat(ClusterViewJson.stateOf(json, 3)).isEmpty();
    }
}
