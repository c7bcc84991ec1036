package io.chukei.bench.loadgen;

import io.chukei.gateway.tls.TlsContexts;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Where a run happened, for the summary: figures from a shared 2-core box and a quiet 32-core one are not comparable. */
public final class MachineInfo
{
    private MachineInfo()
    {
    }

    public static Map<String, String> describe()
    {
        final Map<String, String> info = new LinkedHashMap<>();
        info.put("host", hostName());
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        info.put("availableProcessors", String.valueOf(Runtime.getRuntime().availableProcessors()));
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun)
        {
            info.put("physicalMemoryMiB", String.valueOf(sun.getTotalMemorySize() >> 20));
        }
        info.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        info.put("maxHeapMiB", String.valueOf(Runtime.getRuntime().maxMemory() >> 20));
        info.put("tlsProvider", TlsContexts.providerName());
        info.put("loadAverageAtStart", loadAverage());
        return info;
    }

    /** The 1-minute load average: other work on the machine shows here. */
    public static String loadAverage()
    {
        final double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unavailable" : String.format(Locale.ROOT, "%.2f", load);
    }

    private static String hostName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final UnknownHostException ex)
        {
            return "unknown";
        }
    }
}
