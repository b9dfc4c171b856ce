package dev.voicebridge.media.dtls;

import java.util.Arrays;

/**
 * The SRTP master keys and salts exported from a DTLS handshake (RFC 5764 §4.2): the exporter
 * output is {@code client_key | server_key | client_salt | server_salt}. Each side protects with
 * its own half and unprotects with the peer's.
 */
public record SrtpKeyingMaterial(
        SrtpProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {

    static SrtpKeyingMaterial fromExporter(SrtpProfile profile, byte[] material) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        if (material.length != 2 * (k + s)) {
            throw new IllegalArgumentException("Exporter output has the wrong length for " + profile);
        }
        return new SrtpKeyingMaterial(
                profile,
                Arrays.copyOfRange(material, 0, k),
                Arrays.copyOfRange(material, 2 * k, 2 * k + s),
                Arrays.copyOfRange(material, k, 2 * k),
                Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s));
    }

    /** Exporter length for a profile: two keys and two salts. */
    static int exporterLength(SrtpProfile profile) {
        return 2 * (profile.keyLength() + profile.saltLength());
    }

    /** Key and salt this side encrypts with. */
    public byte[] localKey(DtlsRole role) {
        return (role == DtlsRole.CLIENT ? clientKey : serverKey).clone();
    }

    public byte[] localSalt(DtlsRole role) {
        return (role == DtlsRole.CLIENT ? clientSalt : serverSalt).clone();
    }

    /** Key and salt the peer encrypts with (we decrypt with them). */
    public byte[] remoteKey(DtlsRole role) {
        return localKey(role.opposite());
    }

    public byte[] remoteSalt(DtlsRole role) {
        return localSalt(role.opposite());
    }

    @Override
    public String toString() {
        // Never print key material.
        return "SrtpKeyingMaterial[" + profile + "]";
    }
}
