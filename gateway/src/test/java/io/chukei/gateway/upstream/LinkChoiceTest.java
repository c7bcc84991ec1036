package io.chukei.gateway.upstream;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

class LinkChoiceTest
{
    private static final IntPredicate NONE_EJECTED = endpoint -> false;

    private final DefaultEventLoop loopA = new DefaultEventLoop();
    private final DefaultEventLoop loopB = new DefaultEventLoop();

    @AfterEach
    void stopLoops()
    {
        loopA.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
        loopB.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void theLinkOnTheConnectorsLoopIsTakenWhereverTheRoundRobinStarts()
    {
        final List<FakeLink> links = List.of(link(1, loopA), link(1, loopB));

        for (int start = 0; start < 4; start++)
        {
            assertThat(LinkChoice.pick(links, new AtomicInteger(start), -1, loopB, NONE_EJECTED).loop()).isSameAs(loopB);
            assertThat(LinkChoice.pick(links, new AtomicInteger(start), -1, loopA, NONE_EJECTED).loop()).isSameAs(loopA);
        }
    }

    @Test
    void endpointsStillTakeTurnsAmongTheLinksOnTheConnectorsLoop()
    {
        final List<FakeLink> links = List.of(link(1, loopA), link(2, loopA), link(1, loopB), link(2, loopB));

        final Set<Integer> endpoints = new HashSet<>();
        for (int start = 0; start < links.size(); start++)
        {
            final FakeLink chosen = LinkChoice.pick(links, new AtomicInteger(start), -1, loopA, NONE_EJECTED);
            assertThat(chosen.loop()).isSameAs(loopA);
            endpoints.add(chosen.id());
        }
        assertThat(endpoints).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void endpointsTakeTurnsEvenWhenEachHasItsConnectionsOnAnotherLoop()
    {
        // One connection per endpoint, given to the loops in turn: endpoint 1 on A, endpoint 2 on B. A choice by
        // loop first would send everything of A's connectors to endpoint 1.
        final List<FakeLink> links = List.of(link(1, loopA), link(2, loopB));

        final Set<Integer> endpoints = new HashSet<>();
        for (int start = 0; start < links.size(); start++)
        {
            endpoints.add(LinkChoice.pick(links, new AtomicInteger(start), -1, loopA, NONE_EJECTED).id());
        }

        assertThat(endpoints).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void theEndpointsLeftTakeEqualTurnsWhileOneIsEjected()
    {
        // Three endpoints, the second ejected: a round-robin that gave a passed-over link's turn to the next one
        // would send two thirds to the third endpoint.
        final List<FakeLink> links = List.of(link(1, loopA), link(2, loopA), link(3, loopA));
        final AtomicInteger next = new AtomicInteger();
        final int[] picks = new int[4];

        for (int i = 0; i < 600; i++)
        {
            picks[LinkChoice.pick(links, next, -1, loopA, endpoint -> endpoint == 1).id()]++;
        }

        assertThat(picks[2]).isZero();
        assertThat(picks[1]).isEqualTo(300);
        assertThat(picks[3]).isEqualTo(300);
    }

    @Test
    void retriesAvoidingOneEndpointShareTheOthersEqually()
    {
        final List<FakeLink> links = List.of(link(1, loopA), link(2, loopA), link(3, loopA));
        final AtomicInteger next = new AtomicInteger();
        final int[] picks = new int[4];

        for (int i = 0; i < 600; i++)
        {
            picks[LinkChoice.pick(links, next, 1, loopA, NONE_EJECTED).id()]++;
        }

        assertThat(picks[1]).isZero();
        assertThat(picks[2]).isEqualTo(300);
        assertThat(picks[3]).isEqualTo(300);
    }

    @Test
    void anotherLoopsLinkServesWhenTheConnectorsLoopHasNoneHealthy()
    {
        final FakeLink down = link(1, loopA);
        down.healthy = false;
        final List<FakeLink> links = List.of(down, link(1, loopB));

        assertThat(LinkChoice.pick(links, new AtomicInteger(0), -1, loopA, NONE_EJECTED).loop()).isSameAs(loopB);
    }

    @Test
    void aRetryLeavesTheFailedEndpointEvenForAnotherLoop()
    {
        final List<FakeLink> links = List.of(link(1, loopA), link(2, loopB));

        final FakeLink chosen = LinkChoice.pick(links, new AtomicInteger(0), 1, loopA, NONE_EJECTED);

        assertThat(chosen.id()).isEqualTo(2);
    }

    @Test
    void theFailedEndpointServesWhenItIsTheOnlyOneConnected()
    {
        final List<FakeLink> links = List.of(link(1, loopA));

        assertThat(LinkChoice.pick(links, new AtomicInteger(0), 1, loopA, NONE_EJECTED).id()).isEqualTo(1);
    }

    @Test
    void anEjectedEndpointIsPassedOverUnlessNothingElseIsConnected()
    {
        final List<FakeLink> links = List.of(link(1, loopA), link(2, loopB));
        final IntPredicate firstEjected = endpoint -> endpoint == 0;

        assertThat(LinkChoice.pick(links, new AtomicInteger(0), -1, loopA, firstEjected).id()).isEqualTo(2);
        assertThat(LinkChoice.pick(List.of(link(1, loopA)), new AtomicInteger(0), -1, loopA, firstEjected).id()).isEqualTo(1);
    }

    @Test
    void aRequestWithoutAConnectorTakesTheRoundRobinsTurn()
    {
        final List<FakeLink> links = List.of(link(1, loopA), link(1, loopB));

        assertThat(LinkChoice.pick(links, new AtomicInteger(0), -1, null, NONE_EJECTED)).isSameAs(links.get(0));
        assertThat(LinkChoice.pick(links, new AtomicInteger(1), -1, null, NONE_EJECTED)).isSameAs(links.get(1));
    }

    @Test
    void noLinkWhenNoneIsConnected()
    {
        final FakeLink down = link(1, loopA);
        down.healthy = false;

        assertThat(LinkChoice.pick(List.of(down), new AtomicInteger(0), -1, loopA, NONE_EJECTED)).isNull();
    }

    private static FakeLink link(final int endpoint, final EventExecutor loop)
    {
        return new FakeLink(endpoint, loop);
    }

    private static final class FakeLink implements LinkChoice.Candidate
    {
        private final int id;
        private final EventExecutor loop;
        private boolean healthy = true;

        FakeLink(final int id, final EventExecutor loop)
        {
            this.id = id;
            this.loop = loop;
        }

        @Override
        public int id()
        {
            return id;
        }

        @Override
        public boolean isHealthy()
        {
            return healthy;
        }

        @Override
        public EventExecutor loop()
        {
            return loop;
        }
    }
}
