package io.chukei.gateway.pki;

import java.util.Objects;

/**
 * The files of an issued certificate, whether this call wrote them and, when it replaced files
 * that were there, why ({@code reason}; empty otherwise).
 */
public record IssuedCertificate(CertificateFiles files, Outcome outcome, String reason)
{
    /** What happened to the files on disk. */
    public enum Outcome
    {
        /** There were no files; new ones were written. */
        CREATED,
        /** The files on disk were usable and left alone. */
        REUSED,
        /**
         * Files were there but expired, close to expiry, from another CA, for other names or roles,
         * with a key below the minimum, or unreadable.
         */
        REPLACED
    }

    public IssuedCertificate
    {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }
}
