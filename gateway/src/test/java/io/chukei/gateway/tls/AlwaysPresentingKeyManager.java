package io.chukei.gateway.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one certificate whatever CAs the server asks for. A normal key manager keeps a
 * certificate from a CA the server did not name to itself, so a test of the server's trust
 * would only ever see "no certificate".
 */
final class AlwaysPresentingKeyManager extends X509ExtendedKeyManager
{
    private static final String ALIAS = "client";

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    AlwaysPresentingKeyManager(final PrivateKey privateKey, final X509Certificate certificate)
    {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    @Override
    public String chooseEngineClientAlias(final String[] keyTypes, final Principal[] issuers, final SSLEngine engine)
    {
        return ALIAS;
    }

    @Override
    public String chooseClientAlias(final String[] keyTypes, final Principal[] issuers, final Socket socket)
    {
        return ALIAS;
    }

    @Override
    public String[] getClientAliases(final String keyType, final Principal[] issuers)
    {
        return new String[] { ALIAS };
    }

    @Override
    public String[] getServerAliases(final String keyType, final Principal[] issuers)
    {
        return null;
    }

    @Override
    public String chooseServerAlias(final String keyType, final Principal[] issuers, final Socket socket)
    {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(final String alias)
    {
        return ALIAS.equals(alias) ? new X509Certificate[] { certificate } : null;
    }

    @Override
    public PrivateKey getPrivateKey(final String alias)
    {
        return ALIAS.equals(alias) ? privateKey : null;
    }
}
