package io.chukei.gateway.pki;

import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/** What a leaf certificate says: its common name, its alternative names and what it may be used for. */
record LeafProfile(String commonName, List<SubjectAltName> subjectAltNames, List<KeyPurposeId> extendedKeyUsages)
{
    LeafProfile
    {
        subjectAltNames = List.copyOf(subjectAltNames);
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
    }
}
