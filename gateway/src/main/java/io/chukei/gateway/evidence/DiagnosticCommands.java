package io.chukei.gateway.evidence;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * The JVM's own diagnostic commands (what {@code jcmd} runs), called in process through the
 * {@code DiagnosticCommand} MBean: the same thread dump format engineers know from {@code jstack -l},
 * and unified logging and JFR settings that can otherwise only be given on the command line.
 */
final class DiagnosticCommands
{
    private static final String[] SIGNATURE = {String[].class.getName()};

    private DiagnosticCommands()
    {
    }

    /** {@code jcmd PID Thread.print -l}: every thread's stack, with the locks it holds and waits for. */
    static String threadPrint() throws JMException
    {
        return invoke("threadPrint", "-l");
    }

    /** {@code jcmd PID VM.log ARGS}: adds a unified-logging output. */
    static String vmLog(final String... arguments) throws JMException
    {
        return invoke("vmLog", arguments);
    }

    /** {@code jcmd PID JFR.dump ARGS}. */
    static String jfrDump(final String... arguments) throws JMException
    {
        return invoke("jfrDump", arguments);
    }

    /** {@code jcmd PID JFR.configure ARGS}. */
    static String jfrConfigure(final String... arguments) throws JMException
    {
        return invoke("jfrConfigure", arguments);
    }

    private static String invoke(final String operation, final String... arguments) throws JMException
    {
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final Object result = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
            new Object[] {arguments}, SIGNATURE);
        return result == null ? "" : result.toString();
    }
}
