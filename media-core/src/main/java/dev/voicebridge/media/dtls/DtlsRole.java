package dev.voicebridge.media.dtls;

/**
 * Our DTLS role. Answering an offer the worker is the client ({@code a=setup:active}); on a call it
 * offers (business-initiated) the answer's {@code a=setup} decides, so it may serve. Test phones
 * take the other side.
 */
public enum DtlsRole {
    CLIENT,
    SERVER;

    public DtlsRole opposite() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
