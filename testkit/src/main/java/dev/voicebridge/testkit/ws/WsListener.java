package dev.voicebridge.testkit.ws;

/**
 * What serves one WebSocket connection of a {@link FakeWebSocketHost}. Each method is called on the
 * connection's own reader thread, one at a time: {@link #onOpen} once after the upgrade, then
 * {@link #onText} for every whole text message, then {@link #onClose} exactly once.
 */
public interface WsListener {

    /** The upgrade succeeded; {@code connection} sends to the client from now on. */
    void onOpen(WsConnection connection);

    /** A whole text message (continuation frames already joined, valid UTF-8). */
    void onText(String text);

    /**
     * The connection is gone. {@code code} is the client's close code when the client closed first,
     * the server's own when it did, {@link CloseCodes#ABNORMAL} (1006) when the socket just ended.
     */
    void onClose(int code, String reason);
}
