package dev.voicebridge.worker.live;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the GPT-Live client.
 *
 * @param url {@code wss://api.openai.com/v1/live/sessions}, no query parameters (tests point it at
 *     the fake service)
 * @param apiKey the key from the agent's Secret; never logged
 * @param connectTimeout WebSocket handshake bound (default 10 s)
 * @param startTimeout bound from the handshake to {@code session.started} (default 10 s)
 * @param closeTimeout how long {@code session.close} waits for {@code session.closed} and its final
 *     usage before the socket is closed anyway (default 5 s)
 * @param maxMessageBytes largest server message accepted (default 8 MiB)
 */
public record LiveClientConfig(
        URI url,
        String apiKey,
        Duration connectTimeout,
        Duration startTimeout,
        Duration closeTimeout,
        int maxMessageBytes) {
    public static final URI DEFAULT_URL = URI.create("wss://api.openai.com/v1/live/sessions");

    public LiveClientConfig {
        Objects.requireNonNull(url, "url");
        if (url.getRawQuery() != null) {
            throw new IllegalArgumentException("GPT-Live takes no query parameters: the model goes in session.start");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the GPT-Live client needs an API key");
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        startTimeout = startTimeout == null ? Duration.ofSeconds(10) : startTimeout;
        closeTimeout = closeTimeout == null ? Duration.ofSeconds(5) : closeTimeout;
        maxMessageBytes = maxMessageBytes <= 0 ? 8 * 1024 * 1024 : maxMessageBytes;
    }

    public static LiveClientConfig of(String apiKey) {
        return new LiveClientConfig(DEFAULT_URL, apiKey, null, null, null, 0);
    }

    @Override
    public String toString() {
        return "LiveClientConfig[url=" + url + ", apiKey=***, startTimeout=" + startTimeout + "]";
    }
}
