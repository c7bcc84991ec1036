package io.chukei.gateway.cluster;

import io.chukei.protocol.sbe.NodeState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A self-isolation and its end are journaled once each; operator actions and other changes are not its business. */
class SelfIsolationAuditTest
{
    private final List<String> journaled = new ArrayList<>();
    private final SelfIsolationAudit audit = new SelfIsolationAudit(2,
        (actor, action, detail) -> journaled.add(actor + " " + action + " " + detail));

    @Test
    void aSelfIsolationAndItsEndAreJournaledOnce()
    {
        audit.viewChanged(null, NodeState.ACTIVE, NodeState.ISOLATED, "self-isolated: event loop lag 900 ms");
        audit.viewChanged(null, NodeState.ISOLATED, NodeState.ISOLATED, "self-isolated: event loop lag 900 ms");
        audit.viewChanged(null, NodeState.ISOLATED, NodeState.ACTIVE, null);

        assertThat(journaled).containsExactly(
            "health self-isolate node 2: ACTIVE -> ISOLATED (self-isolated: event loop lag 900 ms)",
            "health self-recover node 2: ISOLATED -> ACTIVE");
    }

    @Test
    void anOperatorsIsolationIsNotASelfIsolation()
    {
        audit.viewChanged(null, NodeState.ACTIVE, NodeState.ISOLATED, "operator isolated: disk swap");
        audit.viewChanged(null, NodeState.ISOLATED, NodeState.ACTIVE, null);

        assertThat(journaled).isEmpty();
    }
}
