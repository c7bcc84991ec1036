package io.chukei.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * Micrometer's JVM and process meters: heap and direct memory, GC pauses, threads, CPU, open file
 * descriptors (thousands of connectors each hold one), uptime. The GC and heap-pressure binders listen
 * to JMX notifications and are closed with the node.
 */
final class JvmMeters implements AutoCloseable
{
    private final JvmGcMetrics gc;
    private final JvmHeapPressureMetrics heapPressure;

    private JvmMeters(final JvmGcMetrics gc, final JvmHeapPressureMetrics heapPressure)
    {
        this.gc = gc;
        this.heapPressure = heapPressure;
    }

    /**
     * Filters for what promtool check metrics objects to: a counter in nanoseconds (process_cpu_usage covers CPU)
     * and a gauge named *_count (read as half of a histogram). Before any meter is registered.
     */
    static void filters(final MeterRegistry registry)
    {
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        registry.config().meterFilter(new MeterFilter()
        {
            @Override
            public Meter.Id map(final Meter.Id id)
            {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
    }

    static JvmMeters bind(final MeterRegistry registry)
    {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
        heapPressure.bindTo(registry);
        return new JvmMeters(gc, heapPressure);
    }

    @Override
    public void close()
    {
        gc.close();
        heapPressure.close();
    }
}
