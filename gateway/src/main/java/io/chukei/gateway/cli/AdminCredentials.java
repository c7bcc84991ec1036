package io.chukei.gateway.cli;

import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The client certificate {@code chukei admin} presents to the nodes' admin listeners: given as files
 * ({@code --cert/--key/--cacert}), or an operator's from the dev PKI ({@code --pki}, else the config's
 * {@code pki.dir}; {@code --operator NAME}, else the only operator there). A read-only command may use a
 * viewer's when the PKI has no operator.
 */
final class AdminCredentials
{
    @Option(names = "--cert", paramLabel = "FILE", description = "Client certificate (PEM): an operator's "
        + "(urn:chukei:operator:NAME); with --key and --cacert. Default: the dev PKI's.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "The certificate's private key (PEM, PKCS#8).")
    Path key;

    @Option(names = "--cacert", paramLabel = "FILE", description = "The CA certificate the nodes' certificates are "
        + "checked against (PEM). Default with --cert: the dev PKI's ca.crt.")
    Path cacert;

    @Option(names = "--pki", paramLabel = "DIR", description = "Dev PKI directory (what `chukei pki issue-operator "
        + "--data DATA` wrote, DATA/pki). Default: pki.dir of --config.")
    Path pki;

    @Option(names = "--operator", paramLabel = "NAME", description = "Which operator of the dev PKI; "
        + "default: the only one there.")
    String operator;

    /**
     * The files to present.
     *
     * @param configPki  the PKI directory of {@code --config}, or null
     * @param readOnly   whether a viewer's certificate will do
     * @throws IllegalArgumentException saying what is missing and how to get it
     */
    CertificateFiles resolve(final Path configPki, final boolean readOnly) throws IOException
    {
        final Path dir = pki != null ? pki : configPki;
        if (cert != null || key != null)
        {
            if (cert == null || key == null)
            {
                throw new IllegalArgumentException("--cert and --key go together (expected: both, and --cacert " +
                    "unless --pki or --config names the dev PKI)");
            }
            final Path ca = cacert != null ? cacert : dir == null ? null : dir.resolve(DevPki.CA_CERTIFICATE_FILE);
            if (ca == null)
            {
                throw new IllegalArgumentException("--cacert: missing (expected: the CA certificate that issued the " +
                    "nodes' certificates)");
            }
            return new CertificateFiles(requireFile(cert, "--cert"), requireFile(key, "--key"), requireFile(ca, "--cacert"));
        }
        if (dir == null)
        {
            throw new IllegalArgumentException("no client certificate: the admin listener needs an operator's " +
                "(expected: --cert/--key/--cacert, or --pki DIR, or --config FILE whose pki.dir holds one)");
        }
        final List<String> kinds = readOnly ? List.of(DevPki.OPERATORS_DIRECTORY, DevPki.VIEWERS_DIRECTORY) :
            List.of(DevPki.OPERATORS_DIRECTORY);
        for (final String kind : kinds)
        {
            final List<String> names = names(dir.resolve(kind));
            final String name = operator != null ? operator : names.size() == 1 ? names.get(0) : null;
            if (operator == null && names.size() > 1)
            {
                throw new IllegalArgumentException("--operator: missing, " + dir.resolve(kind) + " holds " + names +
                    " (expected: --operator NAME)");
            }
            if (name != null && names.contains(name))
            {
                final Path base = dir.resolve(kind);
                return new CertificateFiles(base.resolve(name + ".crt"), base.resolve(name + ".key"),
                    dir.resolve(DevPki.CA_CERTIFICATE_FILE));
            }
        }
        throw new IllegalArgumentException("no operator certificate" + (operator == null ? "" : " '" + operator + "'") +
            " in " + dir.resolve(DevPki.OPERATORS_DIRECTORY) + " (expected: one issued with `chukei pki issue-operator " +
            "--data " + (dir.getParent() == null ? "DATA" : dir.getParent()) + " NAME`, or --cert/--key/--cacert)");
    }

    private static List<String> names(final Path directory) throws IOException
    {
        final List<String> names = new ArrayList<>();
        if (!Files.isDirectory(directory))
        {
            return names;
        }
        try (Stream<Path> files = Files.list(directory))
        {
            files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith(".crt"))
                .map(file -> file.substring(0, file.length() - 4))
                .filter(stem -> Files.exists(directory.resolve(stem + ".key"))).sorted().forEach(names::add);
        }
        return names;
    }

    private static Path requireFile(final Path file, final String option)
    {
        if (!Files.isReadable(file))
        {
            throw new IllegalArgumentException(option + ": " + file + " (expected: a readable PEM file)");
        }
        return file;
    }
}
