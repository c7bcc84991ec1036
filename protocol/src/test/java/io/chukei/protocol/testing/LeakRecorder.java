package io.chukei.protocol.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Netty leak detectors that, besides logging, remember every leak they report, so a test
 * class that leaks a buffer fails instead of printing a line nobody reads.
 */
public final class LeakRecorder extends ResourceLeakDetectorFactory
{
    private static final List<String> LEAKS = new ArrayList<>();
    private static volatile boolean installed;

    /** Installs the recording factory; must run before Netty creates its first detector. */
    public static synchronized void install()
    {
        if (!installed)
        {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new LeakRecorder());
            installed = true;
        }
    }

    /** Leaks reported since the last call, emptied. */
    public static List<String> drain()
    {
        synchronized (LEAKS)
        {
            final List<String> leaks = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return leaks;
        }
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        final Class<T> resource, final int samplingInterval, final long maxActive)
    {
        return new ResourceLeakDetector<>(resource, samplingInterval)
        {
            @Override
            protected boolean needReport()
            {
                return true;
            }

            @Override
            protected void reportTracedLeak(final String resourceType, final String records)
            {
                record(resourceType + " leaked:" + records);
                super.reportTracedLeak(resourceType, records);
            }

            @Override
            protected void reportUntracedLeak(final String resourceType)
            {
                record(resourceType + " leaked (no records)");
                super.reportUntracedLeak(resourceType);
            }
        };
    }

    private static void record(final String leak)
    {
        synchronized (LEAKS)
        {
            LEAKS.add(leak);
        }
    }
}
