package io.chukei.gateway.conformance;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.RequestState;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Maps the workload's requests to scenarios and collects the verdicts. The n-th new request id starts the n-th
 * {@link Scenario} once the one before has its final answer; a new id arriving while a scenario is still open, or
 * after the last, is answered plainly (Accepted, Result OK, upstreamCode 0) and noted. All calls come on the relay's
 * one event loop.
 */
final class ConformanceScript
{
    private final ConformanceSettings settings;
    private final List<ListenerNode> nodes;
    private final EventLoop loop;
    private final List<ScenarioRun> runs = new ArrayList<>();
    private final Map<UUID, ScenarioRun> byId = new HashMap<>();
    private final Set<UUID> plain = new HashSet<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> heartbeatGaps = new ArrayList<>();
    private final CompletableFuture<ConformanceReport> report = new CompletableFuture<>();
    private final StallClock stalls;
    private long firstRequestNs;
    private long sessions;
    private ScheduledFuture<?> settling;

    ConformanceScript(final ConformanceSettings settings, final List<ListenerNode> nodes, final EventLoop loop)
    {
        this.settings = settings;
        this.nodes = List.copyOf(nodes);
        this.loop = loop;
        this.stalls = new StallClock(loop);
    }

    StallClock stalls()
    {
        return stalls;
    }

    ConformanceSettings settings()
    {
        return settings;
    }

    List<ListenerNode> nodes()
    {
        return nodes;
    }

    ListenerNode otherThan(final int nodeId)
    {
        return nodes.get(nodes.get(0).nodeId() == nodeId ? 1 : 0);
    }

    CompletableFuture<ConformanceReport> report()
    {
        return report;
    }

    long nextSessionId()
    {
        return ++sessions;
    }

    void schedule(final long delayMs, final Runnable task)
    {
        loop.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    void note(final String note)
    {
        if (!notes.contains(note))
        {
            notes.add(note);
        }
    }

    void submit(final SubmitCopy submit)
    {
        final ScenarioRun known = byId.get(submit.requestId());
        if (known != null)
        {
            known.onSubmit(submit);
            return;
        }
        if (plain.contains(submit.requestId()))
        {
            answerPlainly(submit.session(), submit.requestId(), true);
            return;
        }
        final ScenarioRun sameContent = unresolvedWithContentOf(submit);
        if (sameContent != null)
        {
            sameContent.resubmittedUnderNewId(submit);
            answerPlainly(submit.session(), submit.requestId(), false);
            return;
        }
        final boolean open = !runs.isEmpty() && !runs.get(runs.size() - 1).finalAnswerGiven();
        if (open || runs.size() == Scenario.values().length)
        {
            note(open ? "a new request arrived while scenario " + runs.size() + " was still open and was answered " +
                "plainly (Result OK, upstreamCode 0): send the workload one request at a time, each after the " +
                "previous one's final answer" : "requests beyond the " + Scenario.values().length +
                " scenarios were answered plainly (Result OK, upstreamCode 0)");
            answerPlainly(submit.session(), submit.requestId(), false);
            return;
        }
        if (runs.isEmpty())
        {
            // The run's time limit counts from the workload's first request: setting up a connector takes what it takes.
            firstRequestNs = submit.receivedNs();
            loop.schedule(this::finish, settings.runTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        final ScenarioRun run = newRun(Scenario.values()[runs.size()], submit);
        runs.add(run);
        byId.put(submit.requestId(), run);
        run.start();
    }

    void statusQuery(final ConformanceSession session, final UUID requestId)
    {
        final ScenarioRun run = byId.get(requestId);
        if (run != null)
        {
            run.onStatusQuery(session);
        }
        else if (plain.contains(requestId))
        {
            session.frames().result(requestId, 0, "conformance: not a scenario");
        }
        else
        {
            session.frames().statusReply(requestId, RequestState.UNKNOWN, -1);
        }
    }

    void sessionClosed(final ConformanceSession session)
    {
        for (final ScenarioRun run : runs)
        {
            if (run.verdict() == null)
            {
                run.sessionClosed(session);
            }
        }
    }

    /** A connection stayed silent longer than a real relay allows (its connector sent no Heartbeat). */
    void heartbeatGap(final ConformanceSession session, final long gapMs)
    {
        heartbeatGaps.add("node " + session.node().nodeId() + " session " + session.sessionId() + ": nothing received for " +
            gapMs + " ms (net of the relay's own pauses)");
    }

    /** A verdict or a final answer came: once every scenario has both, the run ends after {@code settleMs}. */
    void progress()
    {
        if (settling != null || runs.size() < Scenario.values().length)
        {
            return;
        }
        for (final ScenarioRun run : runs)
        {
            if (run.verdict() == null || !run.finalAnswerGiven())
            {
                return;
            }
        }
        settling = loop.schedule(this::finish, settings.settleMs(), TimeUnit.MILLISECONDS);
    }

    private void finish()
    {
        if (report.isDone())
        {
            return;
        }
        final List<Verdict> verdicts = new ArrayList<>();
        for (final Scenario scenario : Scenario.values())
        {
            verdicts.add(verdictOf(scenario));
        }
        final Verdict heartbeats = heartbeatGaps.isEmpty()
            ? new Verdict(0, "connector-heartbeats", null, true, "no session of the connector was silent for more than " +
                settings.relaySilenceLimitMs() + " ms (" + ConformanceSettings.MISSED_HEARTBEATS + " heartbeat intervals)")
            : new Verdict(0, "connector-heartbeats", null, false, "a real relay would have closed with GoAway " +
                "HEARTBEAT_TIMEOUT (send a Heartbeat whenever nothing was sent for heartbeatIntervalMs, §3): " +
                String.join("; ", heartbeatGaps));
        report.complete(new ConformanceReport(settings, nodes, verdicts, heartbeats, List.copyOf(notes),
            runs.isEmpty() ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstRequestNs)));
    }

    private Verdict verdictOf(final Scenario scenario)
    {
        if (scenario.ordinal() >= runs.size())
        {
            return new Verdict(scenario.number(), scenario.label(), null, false, "not run: the workload sent " + runs.size() +
                " request(s) the script could use; it must send " + Scenario.values().length +
                " requests of distinct content, one at a time");
        }
        final ScenarioRun run = runs.get(scenario.ordinal());
        return run.verdict() != null ? run.verdict() : new Verdict(scenario.number(), scenario.label(),
            run.requestId().toString(), false, "unfinished when the run ended");
    }

    private ScenarioRun unresolvedWithContentOf(final SubmitCopy submit)
    {
        for (final ScenarioRun run : runs)
        {
            if ((run.verdict() == null || !run.finalAnswerGiven()) && run.first().sameContent(submit))
            {
                return run;
            }
        }
        return null;
    }

    private ScenarioRun newRun(final Scenario scenario, final SubmitCopy submit)
    {
        return switch (scenario)
        {
            case ATTEMPT_TIMEOUT -> new AttemptTimeoutRun(this, submit);
            case REDIRECT -> new RedirectRun(this, submit);
            case GO_AWAY -> new GoAwayRun(this, submit);
            case HEARTBEATS_STOP -> new HeartbeatsStopRun(this, submit);
            case DUPLICATE_ANSWER -> new DuplicateAnswerRun(this, submit);
            case OVERLOADED -> new RetryAfterRun(this, scenario, submit, ErrorCode.OVERLOADED, settings.overloadedRetryAfterMs());
            case RATE_LIMITED -> new RetryAfterRun(this, scenario, submit, ErrorCode.RATE_LIMITED, settings.rateLimitedRetryAfterMs());
            case OUTCOME_UNKNOWN -> new OutcomeUnknownRun(this, submit);
        };
    }

    private void answerPlainly(final ConformanceSession session, final UUID requestId, final boolean alreadyKnown)
    {
        plain.add(requestId);
        if (session.writable())
        {
            session.frames().accepted(requestId, alreadyKnown);
            session.frames().result(requestId, 0, "conformance: not a scenario");
        }
    }
}
