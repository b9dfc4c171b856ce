package dev.voicebridge.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON merge patches (RFC 7386) applied as an API server applies them. The CRUD mock appends to
 * arrays where RFC 7386 replaces them, so every status write carrying a list (operator
 * conditions, the worker's transcript lines) piled up duplicates. Here a merge patch becomes: read
 * the object, merge per RFC 7386 (on {@code /status} only the status, as for a status
 * subresource), write it back with the read resourceVersion, retrying if someone wrote between.
 * Other requests go to the CRUD dispatcher untouched.
 */
public final class MergePatchDispatcher extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 5;

    private final KubernetesCrudDispatcher crud;

    public MergePatchDispatcher(KubernetesCrudDispatcher crud) {
        this.crud = crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        if (!"PATCH".equals(request.getMethod()) || type == null || !type.startsWith("application/merge-patch+json")) {
            return crud.dispatch(request);
        }
        try {
            return mergePatch(request);
        } catch (IOException e) {
            return new MockResponse().setResponseCode(400).setBody(status(400, "BadRequest", e.getMessage()));
        }
    }

    private MockResponse mergePatch(RecordedRequest request) throws IOException {
        String path = request.getPath();
        int query = path.indexOf('?');
        String base = query < 0 ? path : path.substring(0, query);
        boolean statusOnly = base.endsWith("/status");
        String objectPath = statusOnly ? base.substring(0, base.length() - "/status".length()) : base;
        // Read without consuming: the request log (takeRequest) keeps the body.
        JsonNode patch = JSON.readTree(request.getBody().getBytes());
        if (!(patch instanceof ObjectNode patchObject)) {
            return new MockResponse().setResponseCode(400).setBody(status(400, "BadRequest", "patch is not an object"));
        }
        for (int attempt = 1; ; attempt++) {
            MockResponse current = crud.handleGet(objectPath);
            if (current.code() != 200) {
                return current;
            }
            ObjectNode object = (ObjectNode) JSON.readTree(current.getBody().readUtf8());
            String readVersion = object.path("metadata").path("resourceVersion").asText();
            String wanted = patchObject.path("metadata").path("resourceVersion").asText("");
            if (!wanted.isEmpty() && !wanted.equals(readVersion)) {
                return new MockResponse()
                        .setResponseCode(409)
                        .setBody(status(409, "Conflict", "the object has been modified"));
            }
            if (statusOnly) {
                JsonNode merged = merge(object.get("status"), patchObject.get("status"));
                object.set("status", merged);
            } else {
                JsonNode status = object.get("status");
                object = (ObjectNode) merge(object, patchObject);
                if (status != null) {
                    object.set("status", status);
                } else {
                    object.remove("status");
                }
            }
            ((ObjectNode) object.with("metadata")).put("resourceVersion", readVersion);
            var put = new RecordedRequest(
                    "HTTP/1.1",
                    HttpMethod.PUT,
                    base,
                    Headers.builder().add("Content-Type", "application/json").build(),
                    new Buffer().writeUtf8(JSON.writeValueAsString(object)));
            MockResponse written = crud.dispatch(put);
            if (written.code() != 409 || attempt == ATTEMPTS) {
                return written;
            }
        }
    }

    /** RFC 7386 §2: objects merge member by member, null deletes, anything else replaces. */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (patch == null) {
            return target;
        }
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result =
                target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    private static String status(int code, String reason, String message) {
        var node = JSON.createObjectNode()
                .put("apiVersion", "v1")
                .put("kind", "Status")
                .put("status", "Failure")
                .put("reason", reason)
                .put("code", code)
                .put("message", message == null ? "" : message);
        return node.toString();
    }
}
