package io.chukei.gateway.journal;

/**
 * The C library calls the journal makes that Chronicle's posix wrapper does not offer, bound by jnr-ffi (public: the
 * loader implements it from outside this package).
 */
public interface Libc
{
    /** {@code sync_file_range(2)}: 0, or -1 with errno set. */
    int sync_file_range(int fd, long offset, long nbytes, int flags);
}
