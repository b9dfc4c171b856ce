package dev.voicebridge.media.dtls;

/** Our DTLS role: the worker is always the client ({@code a=setup:active}); test phones serve. */
public enum DtlsRole {
    CLIENT,
    SERVER;

    public DtlsRole opposite() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
