package dev.voicebridge.worker.agent;

import dev.voicebridge.worker.config.SettingKeys;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Agent-plane settings of the media worker (one typed surface; keys and defaults are listed in
 * {@link #KEYS} and docs/agent.md).
 *
 * @param greetingLeadIn silence before the greeting when the VoiceAgent does not set one
 * @param appendFrames 20 ms caller frames per audio append to the model
 * @param callerQueueFrames caller frames buffered towards the session owner before drops are counted
 * @param reconnectInitialBackoff first retry delay after a dropped session (doubles per attempt)
 * @param reconnectMaxBackoff ceiling of the retry delay
 * @param unavailableAfter how long the model may stay unreachable before the call ends (AgentUnavailable)
 * @param unavailableNotice play a short tone before ending an AgentUnavailable call
 * @param sessionRollover age at which a model session is replaced (the Realtime API caps sessions at 60 min)
 * @param rolloverBeforeExpiry a session whose service names its expiry is replaced this long before it
 * @param rolloverMaxDeferral how long a rollover may wait for the agent to stop talking
 * @param transcriptLines transcript lines kept for status
 * @param summaryLines transcript lines re-seeded into a reconnected session
 * @param endCallDrainTimeout bound on finishing the goodbye audio after {@code end_call} or an idle goodbye
 * @param dtmfCoalesce DTMF key presses within this window after the first go to the model as one
 *     text turn with at most one response, so a burst of keys is not a burst of responses
 * @param closeTimeout bound on waiting for a session's final usage when the call ends
 * @param callerSpeechRms PCM16 RMS above which the caller's audio counts as speech (idle policy, and
 *     response latency and interruptions for models that do not report caller speech)
 */
public record AgentConfig(
        Duration greetingLeadIn,
        int appendFrames,
        int callerQueueFrames,
        Duration reconnectInitialBackoff,
        Duration reconnectMaxBackoff,
        Duration unavailableAfter,
        boolean unavailableNotice,
        Duration sessionRollover,
        Duration rolloverBeforeExpiry,
        Duration rolloverMaxDeferral,
        int transcriptLines,
        int summaryLines,
        Duration endCallDrainTimeout,
        Duration closeTimeout,
        double callerSpeechRms,
        Duration dtmfCoalesce) {

    /** Configuration keys (prefix {@code voicebridge.agent.}) and their defaults. */
    public static final Map<String, String> KEYS;

    static {
        var k = new LinkedHashMap<String, String>();
        k.put("greeting-lead-in", "200ms");
        k.put("append-frames", "2");
        k.put("caller-queue-frames", "50");
        k.put("reconnect-initial-backoff", "200ms");
        k.put("reconnect-max-backoff", "5s");
        k.put("unavailable-after", "20s");
        k.put("unavailable-notice", "true");
        k.put("session-rollover", "55m");
        k.put("rollover-before-expiry", "2m");
        k.put("rollover-max-deferral", "60s");
        k.put("transcript-lines", "20");
        k.put("summary-lines", "6");
        k.put("end-call-drain-timeout", "15s");
        k.put("close-timeout", "3s");
        k.put("caller-speech-rms", "500");
        k.put("dtmf-coalesce", "500ms");
        KEYS = Map.copyOf(k);
    }

    /** The caller queue's slots are allocated with the call; 1,000 frames is 20 s and 960 KB. */
    public static final int MAX_CALLER_QUEUE_FRAMES = 1000;

    public static final AgentConfig DEFAULTS = from(key -> null);

    public AgentConfig {
        if (appendFrames < 1 || callerQueueFrames < 1 || transcriptLines < 1 || summaryLines < 0) {
            throw new IllegalArgumentException("agent frame and line counts must be positive");
        }
        if (dtmfCoalesce.isNegative() || dtmfCoalesce.isZero()) {
            throw new IllegalArgumentException("dtmf-coalesce must be positive");
        }
        if (callerQueueFrames > MAX_CALLER_QUEUE_FRAMES) {
            // allocated up front for every call: 960 bytes a frame
            throw new IllegalArgumentException("caller-queue-frames is at most " + MAX_CALLER_QUEUE_FRAMES + " (20 s)");
        }
    }

    /** Reads {@code voicebridge.agent.<key>} values (null: default); durations in ISO-8601. */
    public static AgentConfig from(Function<String, String> source) {
        SettingKeys.Reader v = SettingKeys.reader("voicebridge.agent.", KEYS, source);
        return new AgentConfig(
                v.duration("greeting-lead-in"),
                v.integer("append-frames"),
                v.integer("caller-queue-frames"),
                v.duration("reconnect-initial-backoff"),
                v.duration("reconnect-max-backoff"),
                v.duration("unavailable-after"),
                Boolean.parseBoolean(v.apply("unavailable-notice")),
                v.duration("session-rollover"),
                v.duration("rollover-before-expiry"),
                v.duration("rollover-max-deferral"),
                v.integer("transcript-lines"),
                v.integer("summary-lines"),
                v.duration("end-call-drain-timeout"),
                v.duration("close-timeout"),
                Double.parseDouble(v.apply("caller-speech-rms")),
                v.duration("dtmf-coalesce"));
    }

    /** A copy with one key changed, as the configuration source would give it (tests). */
    public AgentConfig with(String key, String value) {
        var values = new LinkedHashMap<String, String>();
        values.put("greeting-lead-in", greetingLeadIn.toString());
        values.put("append-frames", Integer.toString(appendFrames));
        values.put("caller-queue-frames", Integer.toString(callerQueueFrames));
        values.put("reconnect-initial-backoff", reconnectInitialBackoff.toString());
        values.put("reconnect-max-backoff", reconnectMaxBackoff.toString());
        values.put("unavailable-after", unavailableAfter.toString());
        values.put("unavailable-notice", Boolean.toString(unavailableNotice));
        values.put("session-rollover", sessionRollover.toString());
        values.put("rollover-before-expiry", rolloverBeforeExpiry.toString());
        values.put("rollover-max-deferral", rolloverMaxDeferral.toString());
        values.put("transcript-lines", Integer.toString(transcriptLines));
        values.put("summary-lines", Integer.toString(summaryLines));
        values.put("end-call-drain-timeout", endCallDrainTimeout.toString());
        values.put("close-timeout", closeTimeout.toString());
        values.put("caller-speech-rms", Double.toString(callerSpeechRms));
        values.put("dtmf-coalesce", dtmfCoalesce.toString());
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("unknown agent key " + key);
        }
        values.put(key, value);
        return from(k -> values.get(k.substring("voicebridge.agent.".length())));
    }

    public AgentConfig withSessionRollover(Duration d) {
        return with("session-rollover", d.toString());
    }

    public AgentConfig withUnavailableAfter(Duration d) {
        return with("unavailable-after", d.toString());
    }
}
