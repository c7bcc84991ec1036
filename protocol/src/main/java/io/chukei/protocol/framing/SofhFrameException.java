package io.chukei.protocol.framing;

import io.chukei.protocol.sbe.ErrorCode;
import io.netty.handler.codec.DecoderException;

/**
 * A frame that breaks the framing rules. {@link #isFatal()} says whether the byte stream can
 * still be trusted: an oversized or too-short frame with a readable length is skipped and the
 * session goes on; a length below the header size or an unknown encoding type means the
 * stream has lost its framing and the connection must be closed.
 *
 * <p>Stackless: a flood of bad frames must not cost a stack walk each.
 */
public final class SofhFrameException extends DecoderException
{
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;
    private final long declaredLength;
    private final boolean fatal;

    SofhFrameException(final ErrorCode errorCode, final long declaredLength, final boolean fatal, final String message)
    {
        super(message);
        this.errorCode = errorCode;
        this.declaredLength = declaredLength;
        this.fatal = fatal;
    }

    /** The wire error code for this violation. */
    public ErrorCode errorCode()
    {
        return errorCode;
    }

    /** The frame length the peer declared. */
    public long declaredLength()
    {
        return declaredLength;
    }

    /** Whether the stream has lost its framing, so the connection must be closed. */
    public boolean isFatal()
    {
        return fatal;
    }

    @Override
    public synchronized Throwable fillInStackTrace()
    {
        return this;
    }
}
