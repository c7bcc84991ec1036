package io.chukei.gateway.pki;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files one TLS endpoint needs: its certificate, its PKCS#8 private key and the CA
 * certificate it trusts for its peers.
 */
public record CertificateFiles(Path certificate, Path privateKey, Path caCertificate)
{
    public CertificateFiles
    {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(caCertificate, "caCertificate");
    }
}
