package dev.voicebridge.api.agent;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * How whoever validates a VoiceAgent sees the Secrets it names: the operator checks every one, the
 * media worker the ones it reads itself. Messages name Secrets and keys, never values.
 */
@FunctionalInterface
public interface SecretCheck {
    /** What the agent uses the Secret for. */
    enum Use {
        OPENAI_KEY,
        WHATSAPP_TOKEN,
        /** An HTTP tool's bearer token: sent only from a Secret labelled for tools. */
        TOOL_TOKEN
    }

    /** Null when the Secret can serve {@code use}, else why not. */
    String problem(SecretKeyRef ref, Use use);

    /** Every Secret fine (tests, and examples checked without a cluster). */
    SecretCheck NONE = (ref, use) -> null;

    /** Why the Secret as read ({@code null}: it does not exist) cannot serve {@code use}, or null. */
    static String problemOf(Secret secret, SecretKeyRef ref, Use use) {
        if (secret == null) {
            return "Secret '" + ref.getName() + "' does not exist";
        }
        if (!SecretValues.has(secret, ref)) {
            return "Secret '" + ref.getName() + "' has no key '" + ref.getKey() + "'";
        }
        var labels = secret.getMetadata() == null ? null : secret.getMetadata().getLabels();
        if (use == Use.TOOL_TOKEN && (labels == null || !"true".equals(labels.get(Labels.TOOL_SECRET)))) {
            return "Secret '" + ref.getName() + "' is not labelled " + Labels.TOOL_SECRET
                    + "=true, so no tool may send it";
        }
        return null;
    }

    /** The Secret exists or not, but may not be read ({@code httpCode} 403: not granted). */
    static String unreadable(SecretKeyRef ref, int httpCode) {
        return "Secret '" + ref.getName() + "' cannot be read (HTTP " + httpCode
                + "): voicebridge is granted only the Secrets the chart's agentSecrets names";
    }
}
