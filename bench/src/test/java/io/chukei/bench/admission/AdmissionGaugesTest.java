package io.chukei.bench.admission;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionGaugesTest
{
    @Test
    void onlyAdmissionSamplesAreReadKeyedByNameWithoutTags()
    {
        final String text = """
            # HELP chukei_admission_upstream_limit Current adaptive limit of requests in flight to card management
            # TYPE chukei_admission_upstream_limit gauge
            chukei_admission_upstream_limit{node="1"} 34.0
            chukei_admission_queue_batch{node="1"} 800.0
            chukei_requests_inflight{node="1"} 2900.0
            chukei_admission_queue_interactive 12
            """;

        assertThat(AdmissionGauges.parse(text))
            .containsOnlyKeys("chukei_admission_upstream_limit", "chukei_admission_queue_batch", "chukei_admission_queue_interactive")
            .containsEntry("chukei_admission_upstream_limit", 34.0)
            .containsEntry("chukei_admission_queue_interactive", 12.0);
    }

    @Test
    void aSampleKeepsTheLastAndTheHighestValue()
    {
        final AdmissionGauges.Sample sample = new AdmissionGauges.Sample(20, 20).plus(60).plus(34);

        assertThat(sample).isEqualTo(new AdmissionGauges.Sample(34, 60));
    }
}
