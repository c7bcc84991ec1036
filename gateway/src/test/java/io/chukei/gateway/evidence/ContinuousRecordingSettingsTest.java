package io.chukei.gateway.evidence;

import jdk.jfr.Configuration;
import org.junit.jupiter.api.Test;

import java.nio.file.NoSuchFileException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContinuousRecordingSettingsTest
{
    @Test
    void theShippedProfileKeepsWhatAStallNeedsAndDropsAllocationSampling() throws Exception
    {
        final Map<String, String> settings = ContinuousRecording.settings(EvidenceConfig.CHUKEI_JFR_SETTINGS).getSettings();

        assertThat(settings).containsEntry("jdk.ThreadPark#enabled", "true")
            .containsEntry("jdk.ThreadPark#threshold", "20 ms")
            .containsEntry("jdk.JavaMonitorEnter#enabled", "true")
            .containsEntry("jdk.SafepointBegin#enabled", "true")
            .containsEntry("jdk.G1GarbageCollection#enabled", "true")
            .containsEntry("jdk.ExecutionSample#period", "100 ms")
            .containsEntry("jdk.ObjectAllocationSample#enabled", "false")
            .containsEntry("jdk.OldObjectSample#enabled", "false");
    }

    @Test
    void theJdkProfilesStaySelectable() throws Exception
    {
        final Configuration jdkDefault = ContinuousRecording.settings("default");

        assertThat(jdkDefault.getName()).isEqualTo("default");
        assertThat(jdkDefault.getSettings()).containsEntry("jdk.ExecutionSample#period", "20 ms");
    }

    @Test
    void aMissingSettingsFileIsAnError()
    {
        assertThatThrownBy(() -> ContinuousRecording.settings("/nonexistent/chukei-test.jfc"))
            .isInstanceOf(NoSuchFileException.class);
    }
}
