package dev.voicebridge.media.dtls;

import java.util.Hashtable;

/** BouncyCastle hands out raw Hashtables of extensions; we copy them into typed ones. */
final class TlsExtensionsUtil {
    private TlsExtensionsUtil() {}

    @SuppressWarnings({"rawtypes", "unchecked"})
    static Hashtable<Integer, byte[]> copy(Hashtable source) {
        Hashtable<Integer, byte[]> out = new Hashtable<>();
        if (source != null) {
            out.putAll(source);
        }
        return out;
    }
}
