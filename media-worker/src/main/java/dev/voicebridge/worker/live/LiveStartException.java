package dev.voicebridge.worker.live;

/** A GPT-Live session could not be started; {@link #reason()} says why, for status and retries. */
public final class LiveStartException extends RuntimeException {
    public enum Reason {
        /** The WebSocket could not be opened (network, TLS, handshake refused or timed out). */
        UNREACHABLE,
        /** The service answered {@code session.start} with an error (see {@link #error()}). */
        REFUSED,
        /** No {@code session.started} within the start timeout. */
        TIMEOUT,
        /** The socket closed before {@code session.started}. */
        CLOSED
    }

    private final Reason reason;
    private final LiveServerEvent.ServerError error;

    LiveStartException(Reason reason, String message, LiveServerEvent.ServerError error, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.error = error;
    }

    public Reason reason() {
        return reason;
    }

    /** The service's error for {@link Reason#REFUSED}, else null. */
    public LiveServerEvent.ServerError error() {
        return error;
    }

    /** Worth another try later: not a refused key, quota or configuration. */
    public boolean retryable() {
        return reason != Reason.REFUSED || "server_error".equals(error.type());
    }
}
