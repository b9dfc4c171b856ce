package dev.voicebridge.testkit.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A plain JDK WebSocket client: an independent peer for the fake servers. */
public final class WsProbe implements WebSocket.Listener, AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    public volatile int closeCode = -1;
    public final WebSocket ws;

    public WsProbe(URI uri, String token, String betaHeader) throws Exception {
        var b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (betaHeader != null) {
            b.header("OpenAI-Beta", betaHeader);
        }
        ws = b.buildAsync(uri, this).get(5, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                events.add(json.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    /** Realtime's {@code input_audio_buffer.append}. */
    public void append(short[] pcm) {
        sendAudio("input_audio_buffer.append", pcm);
    }

    /** An audio event of {@code type} with {@code audio}: base64 PCM16 LE. */
    public void sendAudio(String type, short[] pcm) {
        var buf = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        buf.asShortBuffer().put(pcm);
        send("{\"type\":\"" + type + "\",\"audio\":\"" + Base64.getEncoder().encodeToString(buf.array()) + "\"}");
    }

    public List<JsonNode> events(String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).collect(Collectors.toList());
    }

    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
