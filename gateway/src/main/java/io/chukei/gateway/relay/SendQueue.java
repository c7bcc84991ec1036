package io.chukei.gateway.relay;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import jnr.ffi.LibraryLoader;
import jnr.ffi.byref.IntByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many bytes the kernel still holds for a socket's peer: written by the node, not yet acknowledged by the peer's
 * kernel ({@code ioctl(fd, SIOCOUTQ)}, Linux). A connection closed with unread input is reset, and a reset drops what
 * the kernel had not delivered yet; a session ending with GoAway waits for this to reach 0 before it closes.
 *
 * <p>The binding is made off the event loops ({@link #loadInBackground}, at the connector listener's start: jnr-ffi
 * builds it in ~0.1 s of a cold JVM); until it is there, and on a transport without a file descriptor (NIO, tests'
 * embedded channels), the count is unknown.
 */
public final class SendQueue
{
    /** Unknown: no binding, or no socket descriptor. */
    public static final int UNKNOWN = -1;

    private static final Logger LOG = LoggerFactory.getLogger(SendQueue.class);
    /** {@code SIOCOUTQ} (= {@code TIOCOUTQ}) on Linux. */
    private static final long SIOCOUTQ = 0x5411;
    private static volatile Ioctl ioctl;
    private static volatile boolean loading;

    /** The C library's {@code ioctl(2)} with an int out-argument, bound by jnr-ffi (public: the loader implements it). */
    public interface Ioctl
    {
        int ioctl(int fd, long request, IntByReference value);
    }

    private SendQueue()
    {
    }

    /** Makes the binding on a thread of its own, once; without it {@link #bytes} stays {@link #UNKNOWN}. */
    public static synchronized void loadInBackground()
    {
        if (loading)
        {
            return;
        }
        loading = true;
        final Thread thread = new Thread(() ->
        {
            try
            {
                ioctl = LibraryLoader.create(Ioctl.class).load("c");
            }
            catch (final RuntimeException | LinkageError ex)
            {
                LOG.warn("ioctl(SIOCOUTQ) is not available here ({}): a session ending with GoAway closes {} ms after " +
                    "it, delivered or not", ex.toString(), ConnectorSession.LINGER_MS);
            }
        }, "chukei-sendqueue-binding");
        thread.setDaemon(true);
        thread.start();
    }

    /** Bytes not yet acknowledged by the peer on {@code channel}'s socket, or {@link #UNKNOWN}. */
    public static int bytes(final Channel channel)
    {
        final Ioctl bound = ioctl;
        if (bound == null || !(channel instanceof UnixChannel) || !channel.isOpen())
        {
            return UNKNOWN;
        }
        final IntByReference queued = new IntByReference();
        return bound.ioctl(((UnixChannel)channel).fd().intValue(), SIOCOUTQ, queued) == 0 ? queued.getValue() : UNKNOWN;
    }
}
