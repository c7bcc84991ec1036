package io.chukei.gateway.journal;

/**
 * A sealed journal entry that cannot be opened: its key is not in the key ring, or its ciphertext fails
 * authentication (changed on disk, or sealed under the same id with another key). The message names the
 * entry's index and key id, never its contents.
 */
public final class SealedEntryException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    SealedEntryException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
