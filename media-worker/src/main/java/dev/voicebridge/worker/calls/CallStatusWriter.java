package dev.voicebridge.worker.calls;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.status.GuardedPatch;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Writes the worker's own status parts ({@code status.media}, {@code status.agent}) with JSON merge
 * patches of just those parts, so it never races the operator's fields. Failures are logged and
 * counted, never thrown: a lost stats update must not end a call; the next one repeats the figures.
 * The final figures have no next one: {@link FinalWrites} retries them on {@link #patch}'s outcome.
 */
final class CallStatusWriter {
    /** What became of one write. */
    enum Outcome {
        WRITTEN,
        /** The VoiceCall no longer exists: nothing will ever take this write. */
        GONE,
        /** Refused or unreachable; worth repeating. */
        FAILED
    }

    private static final Logger LOG = Logger.getLogger(CallStatusWriter.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A part's JSON property names, introspected once per class rather than on every write. */
    private static final ClassValue<List<String>> PROPERTIES = new ClassValue<>() {
        @Override
        protected List<String> computeValue(Class<?> type) {
            JavaType javaType = JSON.constructType(type);
            return JSON.getSerializationConfig().introspect(javaType).findProperties().stream()
                    .map(property -> property.getName())
                    .toList();
        }
    };

    private final KubernetesClient client;
    private final String namespace;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    CallStatusWriter(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Patches whichever of the two parts is non-null. Returns whether the write succeeded. */
    boolean write(String name, MediaStatus media, AgentStatus agent) {
        return patch(name, media, agent) == Outcome.WRITTEN;
    }

    /**
     * Writes both parts whole: every property the new part lacks is set to null, which a merge patch
     * removes, so nothing the worker of an earlier placement attempt wrote survives.
     */
    boolean replace(String name, MediaStatus media, AgentStatus agent) {
        ObjectNode status = JSON.createObjectNode();
        status.set("media", whole(media));
        if (agent != null) {
            status.set("agent", whole(agent));
        }
        ObjectNode patch = JSON.createObjectNode();
        patch.set("status", status);
        return send(name, patch.toString()) == Outcome.WRITTEN;
    }

    private static ObjectNode whole(Object part) {
        ObjectNode node = JSON.valueToTree(part);
        for (String property : PROPERTIES.get(part.getClass())) {
            if (!node.has(property)) {
                node.putNull(property);
            }
        }
        return node;
    }

    /**
     * Parses a VoiceCall as the informer's events deliver one, and sends the answer write's request
     * for a VoiceCall that does not exist, at start-up: the first real call then finds the parsers
     * and serializers built and a connection open instead of paying for them on its setup path.
     * Best effort and uncounted (the 404 is the expected outcome).
     */
    void warmUp(String absentName) {
        ObjectNode status = JSON.createObjectNode();
        status.set("media", whole(new MediaStatus()));
        status.set("agent", whole(new AgentStatus()));
        ObjectNode patch = JSON.createObjectNode();
        patch.set("status", status);
        try {
            var serialization = client.getKubernetesSerialization();
            serialization.unmarshal(serialization.asJson(new VoiceCall()), VoiceCall.class);
            GuardedPatch.writable(client, namespace, absentName)
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        } catch (KubernetesClientException expected) {
            LOG.fine(() -> LogLine.of("worker.warm-up-write", "httpStatus", expected.getCode()));
        } catch (RuntimeException e) {
            LOG.fine(() -> LogLine.of("worker.warm-up-failed", "error", e.getMessage()));
        }
    }

    /** Patches whichever of the two parts is non-null. */
    Outcome patch(String name, MediaStatus media, AgentStatus agent) {
        VoiceCall patch = new VoiceCall();
        patch.statusOrNew().setMedia(media);
        patch.getStatus().setAgent(agent);
        return send(name, patch);
    }

    private Outcome send(String name, Object patch) {
        try {
            var status = GuardedPatch.writable(client, namespace, name).subresource("status");
            // Always as text: patched with an object, Fabric8 would diff it against the stub.
            String json = patch instanceof String text
                    ? text
                    : client.getKubernetesSerialization().asJson(patch);
            status.patch(PatchContext.of(PatchType.JSON_MERGE), json);
            writes.incrementAndGet();
            return Outcome.WRITTEN;
        } catch (KubernetesClientException e) {
            failures.incrementAndGet();
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                LOG.fine(() -> LogLine.of("call.status-write-gone", LogLine.CALL, name));
                return Outcome.GONE;
            }
            LOG.warning(LogLine.of(
                    "call.status-write-failed",
                    LogLine.CALL,
                    name,
                    "httpStatus",
                    e.getCode(),
                    "error",
                    e.getMessage()));
            return Outcome.FAILED;
        }
    }

    long writes() {
        return writes.get();
    }

    long failures() {
        return failures.get();
    }
}
