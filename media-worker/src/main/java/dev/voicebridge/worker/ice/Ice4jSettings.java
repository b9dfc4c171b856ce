package dev.voicebridge.worker.ice;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.voicebridge.api.log.LogLine;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jitsi.config.JitsiConfig;
import org.jitsi.config.TypesafeConfigSource;

/**
 * ice4j's configuration, set from ours.
 *
 * <p>ice4j reads its settings (consent freshness timing, mapping harvesters) from one
 * process-wide Typesafe source, {@code JitsiConfig.newConfig}, which is built from
 * {@code application.conf} and ice4j's {@code reference.conf} — not from system properties. We
 * replace that source with our values layered over ice4j's reference, so ice4j never probes a
 * cloud metadata address (its AWS harvester is on by default), never asks a STUN server, and paces
 * consent by {@link IceConfig}. The values are per process: a worker runs one {@link IceConfig}.
 */
public final class Ice4jSettings {
    /** Held strongly: JUL forgets the level of a logger nobody references. */
    private static final Logger ICE4J_LOG = Logger.getLogger("org.ice4j");

    private static final Logger LOG = Logger.getLogger(Ice4jSettings.class.getName());

    private static IceConfig installed;

    private Ice4jSettings() {}

    /**
     * Installs {@code config} for every ice4j agent of this process. The first installation
     * wins: jitsi-metaconfig caches each value on first read, so a later, different config could
     * only half apply; it is refused with a warning instead.
     */
    public static synchronized void install(IceConfig config) {
        if (installed != null) {
            if (!installed.equals(config)) {
                LOG.warning(LogLine.of(
                        "ice.settings-ignored", "reason", "per process", "kept", installed, "ignored", config));
            }
            return;
        }
        if (ICE4J_LOG.getLevel() == null) {
            // ice4j logs every call's gathering, pairs and state changes at INFO; keep its
            // warnings unless logging.properties asks for more.
            ICE4J_LOG.setLevel(Level.WARNING);
        }
        JitsiConfig.Companion.useDebugNewConfig(new TypesafeConfigSource("voicebridge", toConfig(config)));
        installed = config;
    }

    static Config toConfig(IceConfig config) {
        // RFC 7675 §5.1: a consent request every interval (ice4j randomises ±20 %), and one
        // transaction keeps retransmitting for as long as consent may stay unconfirmed.
        long waitMillis = Math.min(500, config.consentInterval().toMillis());
        long retransmissions = Math.max(1, config.consentTimeout().toMillis() / waitMillis);
        Map<String, Object> values = Map.ofEntries(
                Map.entry(
                        "ice4j.consent-freshness.interval",
                        config.consentInterval().toMillis() + " ms"),
                Map.entry("ice4j.consent-freshness.original-wait-interval", waitMillis + " ms"),
                Map.entry("ice4j.consent-freshness.max-wait-interval", waitMillis + " ms"),
                Map.entry("ice4j.consent-freshness.max-retransmissions", retransmissions),
                Map.entry("ice4j.consent-freshness.randomize-interval", true),
                // We route payload ourselves (SharedUdpPort); ice4j only sees STUN.
                Map.entry("ice4j.use-component-socket", false),
                Map.entry("ice4j.redact-remote-addresses", true),
                // No SOFTWARE attribute: it tells an attacker which stack answers.
                Map.entry("ice4j.software", ""),
                Map.entry("ice4j.harvest.mapping.aws.enabled", false),
                Map.entry("ice4j.harvest.mapping.aws.force", false),
                Map.entry("ice4j.harvest.mapping.stun.addresses", java.util.List.of()),
                Map.entry("ice4j.harvest.mapping.static-mappings", java.util.List.of()));
        return ConfigFactory.parseMap(values)
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }
}
