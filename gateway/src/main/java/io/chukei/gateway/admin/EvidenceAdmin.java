package io.chukei.gateway.admin;

import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.evidence.BlockingFault;
import io.chukei.gateway.evidence.EvidenceBundles;
import io.chukei.gateway.evidence.EvidenceRecorder;
import io.chukei.gateway.evidence.Trigger;
import io.chukei.protocol.text.SafeText;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /evidence} (the bundles on disk), {@code POST /evidence?reason=..} (an operator's bundle: answered
 * at once with its name, written on the recorder's thread), and the test-only
 * {@code POST /faults/block-event-loop?ms=N} when {@code faults.testSwitches=on}. Runs on an event loop: nothing
 * here waits for a bundle.
 */
public final class EvidenceAdmin
{
    private static final int MAX_BLOCK_MS = 60_000;

    private EvidenceAdmin()
    {
    }

    /**
     * {@code faultLoops} is null unless the test fault switches are on; {@code caller} is named in an operator's
     * bundle (its manifest and its journal entry).
     */
    public static AdminRoutes.Response handle(final AdminCaller caller, final EvidenceRecorder recorder,
        final EventLoopGroup faultLoops, final HttpMethod method, final String path, final Map<String, List<String>> query)
    {
        if (path.equals("/faults/block-event-loop"))
        {
            return blockEventLoop(faultLoops, method, query);
        }
        if (!path.equals("/evidence"))
        {
            return AdminRoutes.Response.text(HttpResponseStatus.NOT_FOUND, "no such path: " + SafeText.of(path) +
                " (expected: /evidence, or /faults/block-event-loop with faults.testSwitches=on)\n");
        }
        if (HttpMethod.GET.equals(method))
        {
            return list(recorder);
        }
        if (!HttpMethod.POST.equals(method))
        {
            return AdminRoutes.Response.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "/evidence: GET lists, POST writes one\n");
        }
        final String reason = first(query, "reason");
        final EvidenceRecorder.Outcome outcome = recorder.trigger(Trigger.OPERATOR,
            "operator request by " + caller.actor() + (reason == null ? "" : ": " + SafeText.of(io.chukei.protocol.text.DigitRuns.mask(reason))));
        if (!outcome.accepted())
        {
            return AdminRoutes.Response.json(HttpResponseStatus.SERVICE_UNAVAILABLE,
                Json.write(Map.of("written", false, "why", outcome.why())));
        }
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("written", true);
        answer.put("bundle", outcome.name());
        answer.put("directory", recorder.directory().resolve(outcome.name()).toString());
        answer.put("note", outcome.why());
        return AdminRoutes.Response.json(HttpResponseStatus.ACCEPTED, Json.write(answer));
    }

    private static AdminRoutes.Response list(final EvidenceRecorder recorder)
    {
        try
        {
            final List<Map<String, Object>> bundles = new ArrayList<>();
            for (final Path bundle : EvidenceBundles.list(recorder.directory()))
            {
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("bundle", bundle.getFileName().toString());
                entry.put("bytes", EvidenceBundles.size(bundle));
                bundles.add(entry);
            }
            return AdminRoutes.Response.json(HttpResponseStatus.OK, Json.write(Map.of("directory",
                recorder.directory().toString(), "bundles", bundles)));
        }
        catch (final IOException ex)
        {
            return AdminRoutes.Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                "evidence: " + SafeText.of(ex.toString()) + "\n");
        }
    }

    private static AdminRoutes.Response blockEventLoop(final EventLoopGroup loops, final HttpMethod method,
        final Map<String, List<String>> query)
    {
        if (loops == null)
        {
            return AdminRoutes.Response.text(HttpResponseStatus.NOT_FOUND,
                "test fault switches are off (faults.testSwitches=on turns them on; never in production)\n");
        }
        if (!HttpMethod.POST.equals(method))
        {
            return AdminRoutes.Response.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "/faults/block-event-loop: POST\n");
        }
        final String ms = first(query, "ms");
        final long millis;
        try
        {
            millis = Long.parseLong(ms == null ? "" : ms);
        }
        catch (final NumberFormatException ex)
        {
            return AdminRoutes.Response.text(HttpResponseStatus.BAD_REQUEST,
                "ms: '" + SafeText.of(String.valueOf(ms)) + "' (expected: 1.." + MAX_BLOCK_MS + ")\n");
        }
        if (millis < 1 || millis > MAX_BLOCK_MS)
        {
            return AdminRoutes.Response.text(HttpResponseStatus.BAD_REQUEST, "ms: " + millis + " (expected: 1.." +
                MAX_BLOCK_MS + ")\n");
        }
        // Another loop than the one answering this request, most of the time: next() goes round.
        loops.next().execute(() -> BlockingFault.blockEventLoop(millis));
        return AdminRoutes.Response.text(HttpResponseStatus.OK, "blocking one event loop for " + millis + " ms\n");
    }

    private static String first(final Map<String, List<String>> query, final String key)
    {
        final List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
