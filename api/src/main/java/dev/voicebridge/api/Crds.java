package dev.voicebridge.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The CRDs generated from the model at build time (the same bytes as {@code crds/}), for installing
 * into an API server: the local stack's in-memory one and the tests' mock.
 */
public final class Crds {
    private Crds() {}

    public static CustomResourceDefinition voiceCalls() {
        return load("voicecalls");
    }

    public static CustomResourceDefinition voiceAgents() {
        return load("voiceagents");
    }

    public static List<CustomResourceDefinition> all() {
        return List.of(voiceCalls(), voiceAgents());
    }

    private static CustomResourceDefinition load(String plural) {
        String path = "/META-INF/fabric8/" + plural + ".voicebridge.dev-v1.yml";
        try (InputStream in = Crds.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("generated CRD missing from the class path: " + path);
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
