package io.chukei.gateway.cli;

import io.chukei.gateway.config.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AdminCommandTest
{
    @TempDir
    Path dir;

    @Test
    void theNodeAnActionIsAboutIsToldFirstTheOthersInListOrder() throws Exception
    {
        final Path config = dir.resolve("node.properties");
        Files.writeString(config, String.join("\n",
            "node.id=1",
            "cluster.nodes=1@127.0.0.1:7401/127.0.0.1:7501,2@127.0.0.1:7402/127.0.0.1:7502,3@127.0.0.1:7403/127.0.0.1:7503",
            ""));
        final AdminCommand.Targets targets = new AdminCommand.Targets();
        targets.config = config;

        assertThat(targets.resolve(2)).containsExactly(new HostPort("127.0.0.1", 7502), new HostPort("127.0.0.1", 7501),
            new HostPort("127.0.0.1", 7503));
        assertThat(targets.resolve()).containsExactly(new HostPort("127.0.0.1", 7501), new HostPort("127.0.0.1", 7502),
            new HostPort("127.0.0.1", 7503));
    }
}
