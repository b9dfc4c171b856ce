package dev.voicebridge.worker.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.worker.config.SettingKeys;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Worker-wide GPT-Live settings (keys {@code voicebridge.live.*}, defaults in {@link #KEYS} and
 * docs/agent.md): where the service is, its timeouts, and how the adapter reads the output stream.
 */
public record LiveSettings(
        URI url,
        Duration connectTimeout,
        Duration startTimeout,
        Duration closeTimeout,
        int maxMessageBytes,
        LiveTuning tuning) {

    public static final Map<String, String> KEYS;

    static {
        var k = new LinkedHashMap<String, String>();
        k.put("url", LiveClientConfig.DEFAULT_URL.toString());
        k.put("connect-timeout", "10s");
        k.put("start-timeout", "10s");
        k.put("close-timeout", "5s");
        k.put("max-message-bytes", "8388608");
        k.put("silence-rms", "20");
        k.put("turn-gap", "800ms");
        k.put("reply-grace", "3s");
        k.put("playout-depth-frames", "2");
        KEYS = Map.copyOf(k);
    }

    public static final LiveSettings DEFAULTS = from(key -> null);

    public static LiveSettings from(Function<String, String> source) {
        SettingKeys.Reader v = SettingKeys.reader("voicebridge.live.", KEYS, source);
        return new LiveSettings(
                URI.create(v.apply("url")),
                v.duration("connect-timeout"),
                v.duration("start-timeout"),
                v.duration("close-timeout"),
                v.integer("max-message-bytes"),
                new LiveTuning(
                        Double.parseDouble(v.apply("silence-rms")),
                        v.duration("turn-gap"),
                        v.duration("reply-grace"),
                        v.integer("playout-depth-frames")));
    }

    /** The adapter for one call's agent, with its API key (never logged). */
    public LiveProvider provider(String apiKey, ObjectMapper json) {
        var client = new LiveClient(
                new LiveClientConfig(url, apiKey, connectTimeout, startTimeout, closeTimeout, maxMessageBytes), json);
        return new LiveProvider(client, tuning);
    }
}
