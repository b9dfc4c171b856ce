package dev.voicebridge.media.dtls;

/** A failed DTLS handshake with its typed reason. */
public final class DtlsHandshakeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final DtlsFailure failure;

    public DtlsHandshakeException(DtlsFailure failure, String message, Throwable cause) {
        super(failure + ": " + message, cause);
        this.failure = failure;
    }

    public DtlsFailure failure() {
        return failure;
    }
}
