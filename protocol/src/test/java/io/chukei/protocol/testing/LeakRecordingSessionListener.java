package io.chukei.protocol.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Installs {@link LeakRecorder} when the test run starts, before any test touches Netty. */
public final class LeakRecordingSessionListener implements LauncherSessionListener
{
    @Override
    public void launcherSessionOpened(final LauncherSession session)
    {
        LeakRecorder.install();
    }
}
