package io.chukei.gateway.admission;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionLimiterTest
{
    private final ConnectionLimiter limiter = new ConnectionLimiter(3);

    @Test
    void aMunicipalityBeyondItsConnectionCapIsRefusedOthersAreNot()
    {
        for (int i = 0; i < 3; i++)
        {
            assertThat(limiter.tryOpen("131016")).isNull();
        }

        assertThat(limiter.tryOpen("131016")).isEqualTo(RejectReason.TOO_MANY_CONNECTIONS);
        assertThat(limiter.tryOpen("011002")).isNull();
    }

    @Test
    void aClosedConnectionFreesItsPlace()
    {
        for (int i = 0; i < 3; i++)
        {
            limiter.tryOpen("131016");
        }

        limiter.closed("131016");

        assertThat(limiter.connections("131016")).isEqualTo(2);
        assertThat(limiter.tryOpen("131016")).isNull();
    }

    @Test
    void closingMoreThanWasOpenedIsAProgrammingError()
    {
        limiter.tryOpen("131016");
        limiter.closed("131016");

        assertThatThrownBy(() -> limiter.closed("131016")).isInstanceOf(IllegalStateException.class);
        assertThat(limiter.connections("131016")).isZero();
    }
}
