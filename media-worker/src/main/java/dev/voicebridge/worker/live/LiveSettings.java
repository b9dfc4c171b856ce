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
        k.put("connect-timeout", "PT10S");
        k.put("start-timeout", "PT10S");
        k.put("close-timeout", "PT5S");
        k.put("max-message-bytes", "8388608");
        k.put("silence-rms", "20");
        k.put("turn-gap", "PT0.8S");
        k.put("reply-grace", "PT3S");
        k.put("playout-depth-frames", "2");
        KEYS = Map.copyOf(k);
    }

    public static final LiveSettings DEFAULTS = from(key -> null);

    public static LiveSettings from(Function<String, String> source) {
        Function<String, String> v = SettingKeys.reader("voicebridge.live.", KEYS, source);
        return new LiveSettings(
                URI.create(v.apply("url")),
                Duration.parse(v.apply("connect-timeout")),
                Duration.parse(v.apply("start-timeout")),
                Duration.parse(v.apply("close-timeout")),
                Integer.parseInt(v.apply("max-message-bytes")),
                new LiveTuning(
                        Double.parseDouble(v.apply("silence-rms")),
                        Duration.parse(v.apply("turn-gap")),
                        Duration.parse(v.apply("reply-grace")),
                        Integer.parseInt(v.apply("playout-depth-frames"))));
    }

    /** The adapter for one call's agent, with its API key (never logged). */
    public LiveProvider provider(String apiKey, ObjectMapper json) {
        var client = new LiveClient(
                new LiveClientConfig(url, apiKey, connectTimeout, startTimeout, closeTimeout, maxMessageBytes), json);
        return new LiveProvider(client, tuning);
    }
}
