package dev.voicebridge.worker.realtime;

/** The model could not be reached (handshake refused, network, auth). */
public class RealtimeConnectException extends RuntimeException {
    public RealtimeConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
