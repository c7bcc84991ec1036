package io.chukei.bench.validation;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.validation.Repertoire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The validation benchmark measures messages that are valid, so it times the full success path. */
class SubmitValidationBenchmarkTest
{
    private final SubmitValidationBenchmark benchmark = new SubmitValidationBenchmark();

    @AfterEach
    void tearDown()
    {
        benchmark.tearDown();
    }

    @ParameterizedTest
    @ValueSource(strings = {SubmitValidationBenchmark.PREISSUE_SETUP, SubmitValidationBenchmark.CARD_STATUS})
    void theMessagePassesEveryRule(final String operation)
    {
        setUp(operation);

        final ErrorCode code = benchmark.validate();

        assertThat(code).as(benchmark.result().toString()).isEqualTo(ErrorCode.NO_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {SubmitValidationBenchmark.PREISSUE_SETUP, SubmitValidationBenchmark.CARD_STATUS})
    void theMessagePassesEveryRuleOfTheJisX0213ProfileToo(final String operation)
    {
        benchmark.repertoire = Repertoire.JIS_X_0213;
        setUp(operation);

        final ErrorCode code = benchmark.validate();

        assertThat(code).as(benchmark.result().toString()).isEqualTo(ErrorCode.NO_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {SubmitValidationBenchmark.PREISSUE_SETUP, SubmitValidationBenchmark.CARD_STATUS})
    void theBaselinePassesTheStructuralCheck(final String operation)
    {
        setUp(operation);

        assertThat(benchmark.baselineStructuralCheck()).isEqualTo(ErrorCode.NO_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {SubmitValidationBenchmark.PREISSUE_SETUP, SubmitValidationBenchmark.CARD_STATUS})
    void validatingAgainGivesTheSameAnswer(final String operation)
    {
        setUp(operation);

        benchmark.validate();

        assertThat(benchmark.validate()).isEqualTo(ErrorCode.NO_ERROR);
    }

    private void setUp(final String operation)
    {
        benchmark.operation = operation;
        benchmark.setup();
    }
}
