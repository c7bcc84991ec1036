package io.chukei.gateway.cluster;

import io.chukei.gateway.config.HostPort;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One node of the static cluster list: its id, where connectors reach it and where its admin
 * HTTP listens. Written {@code ID@CONNECTOR_HOST:PORT/ADMIN_HOST:PORT}.
 */
public record ClusterMember(int id, HostPort connector, HostPort admin)
{
    public static final int MIN_ID = 1;
    public static final int MAX_ID = 65534;
    private static final String FORMAT = "ID@CONNECTOR_HOST:PORT/ADMIN_HOST:PORT[,...]";

    public ClusterMember
    {
        if (id < MIN_ID || id > MAX_ID)
        {
            throw new IllegalArgumentException("id: " + id + " (expected: " + MIN_ID + ".." + MAX_ID + ")");
        }
        java.util.Objects.requireNonNull(connector, "connector");
        java.util.Objects.requireNonNull(admin, "admin");
    }

    /**
     * Parses a comma list of members; {@code key} names the setting in errors. Blank text is an empty
     * list. Ids must be unique.
     */
    public static List<ClusterMember> parseList(final String key, final String text)
    {
        final List<ClusterMember> members = new ArrayList<>();
        if (text == null || text.isBlank())
        {
            return List.of();
        }
        final Set<Integer> ids = new HashSet<>();
        for (final String part : text.split(","))
        {
            final String entry = part.trim();
            if (entry.isEmpty())
            {
                throw new IllegalArgumentException(key + ": '" + text + "' has an empty entry (expected: " + FORMAT + ")");
            }
            final ClusterMember member = parse(key, entry);
            if (!ids.add(member.id()))
            {
                throw new IllegalArgumentException(key + ": node id " + member.id() + " appears twice (expected: unique ids)");
            }
            members.add(member);
        }
        return List.copyOf(members);
    }

    private static ClusterMember parse(final String key, final String entry)
    {
        final int at = entry.indexOf('@');
        final int slash = entry.indexOf('/', at + 1);
        if (at <= 0 || slash < 0)
        {
            throw new IllegalArgumentException(key + ": '" + entry + "' (expected: " + FORMAT + ")");
        }
        final String idText = entry.substring(0, at).trim();
        final int id;
        try
        {
            id = Integer.parseInt(idText);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + ": '" + entry + "' has node id '" + idText +
                "' (expected: a whole number " + MIN_ID + ".." + MAX_ID + ")", ex);
        }
        if (id < MIN_ID || id > MAX_ID)
        {
            throw new IllegalArgumentException(key + ": '" + entry + "' has node id " + id +
                " (expected: " + MIN_ID + ".." + MAX_ID + ")");
        }
        final HostPort connector = HostPort.parse(key + " (connector address of node " + id + ")",
            entry.substring(at + 1, slash).trim());
        final HostPort admin = HostPort.parse(key + " (admin address of node " + id + ")", entry.substring(slash + 1).trim());
        return new ClusterMember(id, connector, admin);
    }

    @Override
    public String toString()
    {
        return id + "@" + connector + "/" + admin;
    }
}
