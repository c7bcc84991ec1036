package io.chukei.gateway.node;

import io.chukei.gateway.config.RelayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The repertoire built beside the start: the same result, and the same error, as building it in line. */
class RepertoireBuildTest
{
    @Test
    void theBuiltRepertoireIsTheConfiguredOne() throws Exception
    {
        assertThat(RepertoireBuild.await(RepertoireBuild.start(new RelayConfig.Validation("jisx0213"))).name())
            .isEqualTo("jisx0213");
    }

    @Test
    void aMalformedOperatorFileFailsTheAwaitWithTheBuildsOwnMessage(@TempDir final Path directory) throws Exception
    {
        final Path file = directory.resolve("chars.txt");
        Files.writeString(file, "9AD9\nkanji\n");

        assertThatThrownBy(() -> RepertoireBuild.await(RepertoireBuild.start(new RelayConfig.Validation("file:" + file))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("validation.repertoire file:" + file + " line 2: 'kanji': not a code point");
    }
}
