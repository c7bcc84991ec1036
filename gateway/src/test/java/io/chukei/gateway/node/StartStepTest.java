package io.chukei.gateway.node;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A step run beside the start fails as it would have in line: its own exception, not a wrapper. */
class StartStepTest
{
    @Test
    void theResultAndTheThreadItRanOn() throws Exception
    {
        assertThat(StartStep.await(StartStep.start("chukei-test-step", () -> Thread.currentThread().getName())))
            .isEqualTo("chukei-test-step");
    }

    @Test
    void anIoFailureIsRethrownAsItself()
    {
        final IOException failure = new IOException("disk gone");

        assertThatThrownBy(() -> StartStep.await(StartStep.start("chukei-test-step", () -> { throw failure; })))
            .isSameAs(failure);
    }

    @Test
    void anUncheckedFailureIsRethrownAsItself()
    {
        final IllegalStateException failure = new IllegalStateException("bad line");

        assertThatThrownBy(() -> StartStep.await(StartStep.start("chukei-test-step", () -> { throw failure; })))
            .isSameAs(failure);
    }
}
