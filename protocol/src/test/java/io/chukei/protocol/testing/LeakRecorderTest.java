package io.chukei.protocol.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeakRecorderTest
{
    /** Something tracked for leaks, like a buffer. */
    static final class Resource
    {
    }

    @Test
    void aLeakedResourceIsRecordedSoTheClassCanFail()
    {
        final ResourceLeakDetector<Resource> detector =
            ResourceLeakDetectorFactory.instance().newResourceLeakDetector(Resource.class, 1);
        leakOne(detector);

        List<String> leaks = List.of();
        for (int round = 0; round < 20 && leaks.isEmpty(); round++)
        {
            System.gc();
            // Netty reports collected leaks when the next resource is tracked.
            final Resource next = new Resource();
            final ResourceLeakTracker<Resource> tracker = detector.track(next);
            tracker.close(next);
            leaks = LeakRecorder.drain();
        }

        assertThat(leaks).anySatisfy(leak -> assertThat(leak).contains("Resource"));
    }

    private static void leakOne(final ResourceLeakDetector<Resource> detector)
    {
        // Tracked and never closed: once collected, it is a leak.
        detector.track(new Resource());
    }
}
