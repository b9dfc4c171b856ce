package dev.voicebridge.api.agent;

import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads a key of a Secret as the API server returns it: {@code data}, base64. ({@code stringData}
 * is write-only; a real API server merges it into {@code data} and never returns it.) The value is
 * trimmed, since {@code kubectl create secret --from-file} keeps a file's trailing newline.
 */
public final class SecretValues {
    private SecretValues() {}

    /** Whether the Secret holds the key. */
    public static boolean has(Secret secret, SecretKeyRef ref) {
        return secret != null && secret.getData() != null && secret.getData().containsKey(ref.getKey());
    }

    /** The key's value, or empty when the Secret ({@code null}: missing) lacks it. */
    public static Optional<String> value(Secret secret, SecretKeyRef ref) {
        if (!has(secret, ref)) {
            return Optional.empty();
        }
        return Optional.of(
                new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8)
                        .trim());
    }
}
