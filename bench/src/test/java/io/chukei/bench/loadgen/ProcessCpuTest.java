package io.chukei.bench.loadgen;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** CPU accounting from /proc: parsing, and readings of a real process (this one). */
class ProcessCpuTest
{
    @Test
    void ticksAreUserPlusSystemTimeCountedFromTheEndOfTheCommandName()
    {
        // A command name with a space and a parenthesis must not shift the fields.
        final String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 9731 0 5 0 1234 567 0 0 20 0 31 0 1234 0 0";

        assertThat(ProcessCpu.parseTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void aLineWithoutACommandNameIsRefused()
    {
        assertThatThrownBy(() -> ProcessCpu.parseTicks("garbage")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("expected: /proc/PID/stat format");
    }

    @Test
    void aProcessThatCannotBeReadIsRefusedUpFrontNamingTheOption()
    {
        assertThatThrownBy(() -> ProcessCpu.watching(List.of(Long.MAX_VALUE)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("--target-pid: " + Long.MAX_VALUE);
    }

    @Test
    void busyWorkInTheWatchedProcessShowsUpAsTargetCpu()
    {
        final ProcessCpu cpu = ProcessCpu.watching(List.of(ProcessHandle.current().pid()));
        final ProcessCpu.CpuSample before = cpu.sample();

        long readings = 0;
        while (cpu.sample().targetCpuNs() - before.targetCpuNs() < 5 * ProcessCpu.NANOS_PER_TICK)
        {
            readings++;
        }
        final PhaseCpu used = cpu.sample().since(before);

        assertThat(readings).isPositive();
        assertThat(used.hasTarget()).isTrue();
        assertThat(used.targetSeconds()).isGreaterThanOrEqualTo(0.05);
        // The watched process is this one: both readings see the same work, to the 10 ms tick.
        assertThat(used.loadgenSeconds()).isCloseTo(used.targetSeconds(), within(0.05));
    }

    @Test
    void withoutTargetsOnlyTheLoadGeneratorsOwnCpuIsKnown()
    {
        final ProcessCpu cpu = ProcessCpu.watching(List.of());
        final PhaseCpu used = cpu.sample().since(cpu.sample());

        assertThat(used.hasTarget()).isFalse();
        assertThat(used.loadgenSeconds()).isNotNaN();
    }
}
