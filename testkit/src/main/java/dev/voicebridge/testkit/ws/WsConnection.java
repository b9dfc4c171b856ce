package dev.voicebridge.testkit.ws;

import java.io.IOException;

/**
 * The server's side of one WebSocket connection of a {@link FakeWebSocketHost}. Sends may come from
 * any thread; they are written one whole frame at a time, in the order they take the connection's
 * lock.
 */
public interface WsConnection {

    /**
     * Sends {@code text} as one unfragmented text frame.
     *
     * @throws IOException once the connection is closing or closed (a close frame was sent or
     *     received, or the socket is gone)
     */
    void sendText(String text) throws IOException;

    /**
     * Starts the closing handshake (RFC 6455 §7.1.2): sends a close frame with {@code code} and
     * {@code reason} (cut to the 123 bytes a control frame allows), then waits a moment for the
     * client's close frame before closing the socket. Does nothing once the connection is closing.
     */
    void close(int code, String reason);

    /** False once a close frame was sent or received, or the socket is gone. */
    boolean isOpen();
}
