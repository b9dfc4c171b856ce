package dev.voicebridge.worker.app;

import dev.voicebridge.api.config.DeprecatedDuration;
import dev.voicebridge.worker.config.SettingKeys;
import dev.voicebridge.worker.ice.CandidatePolicy;
import dev.voicebridge.worker.ice.CheckLimits;
import dev.voicebridge.worker.pipeline.MediaConfig;
import dev.voicebridge.worker.webrtc.TransportConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The media worker's own configuration surface. Every key, with its default, is in {@link #KEYS}
 * and in docs/media-worker.md (a test keeps the two equal). Environment variables override by the
 * MicroProfile rule: {@code voicebridge.media.port} ← {@code VOICEBRIDGE_MEDIA_PORT}. The agent
 * plane reads its own {@code voicebridge.agent.*} and {@code voicebridge.realtime.*} keys
 * (docs/agent.md).
 */
public record WorkerSettings(
        String podName,
        String namespace,
        Duration statsInterval,
        Duration drainTimeout,
        Duration maxCallDuration,
        TransportConfig transport,
        MediaConfig media,
        String otlpEndpoint) {

    public static final Map<String, String> KEYS;

    static {
        var k = new LinkedHashMap<String, String>();
        k.put("voicebridge.worker.pod-name", "media-worker-local");
        k.put("voicebridge.worker.namespace", "default");
        k.put("voicebridge.worker.stats-interval", "20s");
        k.put("voicebridge.worker.drain-timeout", "10m");
        k.put("voicebridge.worker.max-call-duration", "4h");
        k.put("voicebridge.media.bind-address", "0.0.0.0");
        k.put("voicebridge.media.port", "3478");
        k.put("voicebridge.media.advertised-address", "");
        k.put("voicebridge.media.jitter-min-depth", "40ms");
        k.put("voicebridge.media.jitter-max-depth", "200ms");
        k.put("voicebridge.media.bitrate-cap", "32000");
        k.put("voicebridge.media.opus-complexity", "1");
        k.put("voicebridge.media.opus-fec-complexity", "2");
        k.put("voicebridge.media.fec-initial-loss-percent", "10");
        k.put("voicebridge.media.fec-loss-floor-percent", "0");
        k.put("voicebridge.media.pacer-threads", "0");
        k.put("voicebridge.media.candidates.max", String.valueOf(CandidatePolicy.DEFAULT_MAX_CANDIDATES));
        k.put("voicebridge.media.candidates.families", CandidatePolicy.DEFAULT_FAMILIES);
        k.put("voicebridge.media.candidates.allow-networks", "");
        k.put("voicebridge.media.candidates.deny-networks", CandidatePolicy.DEFAULT_DENY);
        k.put("voicebridge.media.ice.checks-per-second", String.valueOf(CheckLimits.DEFAULT_PER_SECOND));
        k.put("voicebridge.media.ice.max-checks", String.valueOf(CheckLimits.DEFAULT_TOTAL));
        k.put("voicebridge.telemetry.otlp-endpoint", "");
        KEYS = java.util.Collections.unmodifiableMap(k);
    }

    /** Integer keys of earlier releases, still read (docs/media-worker.md lists them). */
    public static final List<DeprecatedDuration> DEPRECATED = List.of(
            DeprecatedDuration.millis(
                    "voicebridge.media.jitter-min-depth-millis", "voicebridge.media.jitter-min-depth"),
            DeprecatedDuration.millis(
                    "voicebridge.media.jitter-max-depth-millis", "voicebridge.media.jitter-max-depth"));

    /** Reads every key from {@code source} (null or blank: the default). */
    public static WorkerSettings from(Function<String, String> source) {
        SettingKeys.Reader v = SettingKeys.reader("", KEYS, DEPRECATED, source);
        List<String> advertised = Arrays.stream(
                        v.apply("voicebridge.media.advertised-address").split(","))
                .map(String::trim)
                .filter(a -> !a.isEmpty())
                .toList();
        MediaConfig d = MediaConfig.DEFAULTS;
        var media = new MediaConfig(
                v.millis("voicebridge.media.jitter-min-depth"),
                v.millis("voicebridge.media.jitter-max-depth"),
                v.integer("voicebridge.media.bitrate-cap"),
                v.integer("voicebridge.media.fec-initial-loss-percent"),
                v.integer("voicebridge.media.fec-loss-floor-percent"),
                v.integer("voicebridge.media.opus-complexity"),
                v.integer("voicebridge.media.opus-fec-complexity"),
                d.rtcpInterval(),
                d.inboundQueuePackets(),
                d.playoutQueueMaxMillis(),
                d.pacerMaxCatchUpTicks(),
                d.pacerLateThresholdMillis(),
                v.integer("voicebridge.media.pacer-threads"));
        var transport = TransportConfig.defaults()
                .withEndpoint(
                        v.apply("voicebridge.media.bind-address"), v.integer("voicebridge.media.port"), advertised)
                .withIceLimits(
                        CandidatePolicy.parse(
                                v.apply("voicebridge.media.candidates.max"),
                                v.apply("voicebridge.media.candidates.families"),
                                v.apply("voicebridge.media.candidates.allow-networks"),
                                v.apply("voicebridge.media.candidates.deny-networks")),
                        new CheckLimits(
                                v.integer("voicebridge.media.ice.checks-per-second"),
                                v.integer("voicebridge.media.ice.max-checks")));
        var settings = new WorkerSettings(
                v.apply("voicebridge.worker.pod-name"),
                v.apply("voicebridge.worker.namespace"),
                v.duration("voicebridge.worker.stats-interval"),
                v.duration("voicebridge.worker.drain-timeout"),
                v.duration("voicebridge.worker.max-call-duration"),
                transport,
                media,
                otlpEndpoint(v.apply("voicebridge.telemetry.otlp-endpoint"), source));
        if (settings.statsInterval().toSeconds() < 1) {
            throw new IllegalArgumentException("voicebridge.worker.stats-interval must be at least 1 s");
        }
        if (settings.maxCallDuration().toSeconds() < 1) {
            throw new IllegalArgumentException("voicebridge.worker.max-call-duration must be at least 1 s");
        }
        return settings;
    }

    /**
     * Our key wins; else the standard {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the chart sets it for
     * every service), which MicroProfile Config also finds as {@code otel.exporter.otlp.endpoint}.
     */
    private static String otlpEndpoint(String own, Function<String, String> source) {
        if (own != null && !own.isBlank()) {
            return own;
        }
        for (String key : List.of("otel.exporter.otlp.endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT")) {
            String value = source.apply(key);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return "";
    }
}
