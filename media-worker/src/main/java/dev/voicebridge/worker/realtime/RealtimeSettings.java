package dev.voicebridge.worker.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.config.DeprecatedDuration;
import dev.voicebridge.worker.config.SettingKeys;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Worker-wide Realtime API settings (keys {@code voicebridge.realtime.*}, defaults in {@link #KEYS}
 * and docs/agent.md), including the embedded local agent's, and the wire client per call: the
 * OpenAI client when the agent has an API key, the embedded agent otherwise.
 */
public record RealtimeSettings(
        URI baseUrl, Duration connectTimeout, int maxMessageBytes, EmbeddedAgentConfig embedded) {

    public static final Map<String, String> KEYS;

    static {
        var k = new LinkedHashMap<String, String>();
        k.put("base-url", OpenAiRealtimeConfig.DEFAULT_BASE_URL.toString());
        k.put("connect-timeout", "10s");
        k.put("max-message-bytes", "8388608");
        k.put("embedded.threshold-rms", "500");
        k.put("embedded.attack-frames", "3");
        k.put("embedded.hangover-frames", "25");
        k.put("embedded.max-utterance", "15s");
        k.put("embedded.beep", "120ms");
        KEYS = Map.copyOf(k);
    }

    /** Integer keys of earlier releases, still read (docs/agent.md lists them). */
    public static final List<DeprecatedDuration> DEPRECATED = List.of(
            DeprecatedDuration.millis(
                    "voicebridge.realtime.embedded.max-utterance-millis",
                    "voicebridge.realtime.embedded.max-utterance"),
            DeprecatedDuration.millis(
                    "voicebridge.realtime.embedded.beep-millis", "voicebridge.realtime.embedded.beep"));

    public static final RealtimeSettings DEFAULTS = from(key -> null);

    public static RealtimeSettings from(Function<String, String> source) {
        SettingKeys.Reader v = SettingKeys.reader("voicebridge.realtime.", KEYS, DEPRECATED, source);
        return new RealtimeSettings(
                URI.create(v.apply("base-url")),
                v.duration("connect-timeout"),
                v.integer("max-message-bytes"),
                new EmbeddedAgentConfig(
                        Double.parseDouble(v.apply("embedded.threshold-rms")),
                        v.integer("embedded.attack-frames"),
                        v.integer("embedded.hangover-frames"),
                        v.millis("embedded.max-utterance"),
                        v.millis("embedded.beep")));
    }

    /** The client of one relayed call's sideband, which connects once {@code sideband} is known. */
    public RealtimeClient sidebandFor(String apiKey, ObjectMapper json, CompletableFuture<URI> sideband) {
        return OpenAiRealtimeClient.sideband(
                new OpenAiRealtimeConfig(baseUrl, apiKey, connectTimeout, maxMessageBytes), json, sideband);
    }

    /** @param apiKey the agent's OpenAI key from its Secret, or null/blank for the embedded agent */
    public RealtimeClient clientFor(String apiKey, ObjectMapper json) {
        if (apiKey == null || apiKey.isBlank()) {
            return new EmbeddedRealtimeClient(embedded);
        }
        return new OpenAiRealtimeClient(
                new OpenAiRealtimeConfig(baseUrl, apiKey, connectTimeout, maxMessageBytes), json);
    }
}
