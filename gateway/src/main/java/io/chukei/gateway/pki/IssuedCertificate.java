package io.chukei.gateway.pki;

import java.util.Objects;

/** The files of an issued certificate and whether this call wrote them. */
public record IssuedCertificate(CertificateFiles files, Outcome outcome)
{
    /** What happened to the files on disk. */
    public enum Outcome
    {
        /** There were no files; new ones were written. */
        CREATED,
        /** The files on disk were usable and left alone. */
        REUSED,
        /** Files were there but expired, close to expiry, from another CA, for other names, or unreadable. */
        REPLACED
    }

    public IssuedCertificate
    {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(outcome, "outcome");
    }
}
