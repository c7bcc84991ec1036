package io.chukei.gateway.upstream;

import io.netty.util.concurrent.EventExecutor;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * Which link a forward takes. The endpoint is chosen round-robin over connected links whose
 * endpoint is not ejected, avoiding the endpoint of a failed attempt if another will do (when
 * every connected link's endpoint is ejected, an ejected one still beats none). Then, of that
 * endpoint's connections, the one served by the event loop of the request's connector: forwarded
 * there, the Forward is written without a hand-over to another thread, and the Outcome arrives on
 * the loop that writes the Result. The loop never decides the endpoint, so load still spreads over
 * the endpoints however their connections fall on the loops.
 */
final class LinkChoice
{
    /** What the choice reads of a link. */
    interface Candidate
    {
        /** The endpoint's id, 1-based; the links of one endpoint share it. */
        int id();

        boolean isHealthy();

        EventExecutor loop();
    }

    private LinkChoice()
    {
    }

    /**
     * @param next the round-robin's position (any int; taken modulo the size), moved on by every link looked at,
     *     so that a link passed over (down, ejected, avoided) does not hand its turn to the one after it
     * @param avoidEndpoint the endpoint not to use if another will do, or -1
     * @param home the event loop of the request's connector, or null when it has none (a recovered request)
     * @param ejected whether an endpoint (0-based) is ejected now
     * @return the link, or null when none is connected
     */
    static <L extends Candidate> L pick(
        final List<L> links, final AtomicInteger next, final int avoidEndpoint, final EventExecutor home,
        final IntPredicate ejected)
    {
        final L chosen = roundRobin(links, next, avoidEndpoint, ejected);
        if (chosen == null || home == null || chosen.loop() == home)
        {
            return chosen;
        }
        for (int i = 0; i < links.size(); i++)
        {
            final L link = links.get(i);
            if (link.id() == chosen.id() && link.loop() == home && link.isHealthy())
            {
                return link;
            }
        }
        return chosen;
    }

    private static <L extends Candidate> L roundRobin(
        final List<L> links, final AtomicInteger next, final int avoidEndpoint, final IntPredicate ejected)
    {
        final int size = links.size();
        L avoided = null;
        L ejectedLink = null;
        for (int i = 0; i < size; i++)
        {
            final L link = links.get(Math.floorMod(next.getAndIncrement(), size));
            if (!link.isHealthy())
            {
                continue;
            }
            if (ejected.test(link.id() - 1))
            {
                if (ejectedLink == null)
                {
                    ejectedLink = link;
                }
            }
            else if (link.id() == avoidEndpoint)
            {
                if (avoided == null)
                {
                    avoided = link;
                }
            }
            else
            {
                return link;
            }
        }
        return avoided != null ? avoided : ejectedLink;
    }
}
