package io.chukei.bench.cluster;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one node's state out of a node's {@code GET /cluster} JSON (an array of flat node objects). */
final class ClusterViewJson
{
    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*}");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"");

    private ClusterViewJson()
    {
    }

    static Optional<String> stateOf(final String json, final int nodeId)
    {
        final Matcher object = OBJECT.matcher(json);
        while (object.find())
        {
            final String text = object.group();
            final Matcher id = ID.matcher(text);
            final Matcher state = STATE.matcher(text);
            if (id.find() && Integer.parseInt(id.group(1)) == nodeId && state.find())
            {
                return Optional.of(state.group(1));
            }
        }
        return Optional.empty();
    }
}
