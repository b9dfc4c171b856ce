package dev.voicebridge.worker.realtime;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the OpenAI adapter.
 *
 * @param baseUrl {@code wss://api.openai.com/v1/realtime} (tests point it at the fake server)
 * @param apiKey the key from the agent's Secret; never logged
 * @param connectTimeout WebSocket handshake bound (default 10 s)
 * @param maxMessageBytes largest server message accepted; audio deltas are large (default 8 MiB)
 */
public record OpenAiRealtimeConfig(URI baseUrl, String apiKey, Duration connectTimeout, int maxMessageBytes) {
    public static final URI DEFAULT_BASE_URL = URI.create("wss://api.openai.com/v1/realtime");

    public OpenAiRealtimeConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the OpenAI adapter needs an API key");
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        maxMessageBytes = maxMessageBytes <= 0 ? 8 * 1024 * 1024 : maxMessageBytes;
    }

    public static OpenAiRealtimeConfig of(String apiKey) {
        return new OpenAiRealtimeConfig(DEFAULT_BASE_URL, apiKey, null, 0);
    }

    @Override
    public String toString() {
        return "OpenAiRealtimeConfig[baseUrl=" + baseUrl + ", apiKey=***]";
    }
}
