package io.chukei.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.chukei.gateway.cluster.Json;

import java.util.Optional;

/** Reads one node's state out of a node's {@code GET /cluster} JSON ({@code {"node":..,"nodes":[..]}}). */
final class ClusterViewJson
{
    private ClusterViewJson()
    {
    }

    static Optional<String> stateOf(final String json, final int nodeId)
    {
        for (final JsonNode node : Json.tree(json).path("nodes"))
        {
            if (node.path("id").asInt(-1) == nodeId && node.path("state").isTextual())
            {
                return Optional.of(node.path("state").asText());
            }
        }
        return Optional.empty();
    }
}
