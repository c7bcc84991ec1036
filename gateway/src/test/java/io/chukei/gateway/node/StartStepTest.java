package io.chukei.gateway.node;

import io.chukei.gateway.config.RelayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** The repertoire, built beside the start: an operator's malformed file stops the start with the build's message. */
    @Test
    void aMalformedRepertoireFileFailsTheAwaitWithTheBuildsOwnMessage(@TempDir final Path directory) throws Exception
    {
        final Path file = directory.resolve("chars.txt");
        Files.writeString(file, "9AD9\nkanji\n");
        final RelayConfig.Validation validation = new RelayConfig.Validation("file:" + file);

        assertThatThrownBy(() -> StartStep.await(StartStep.start("chukei-repertoire", validation::buildRepertoire)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("validation.repertoire file:" + file + " line 2: 'kanji': not a code point");
    }
}
