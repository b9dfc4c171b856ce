package dev.voicebridge.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the CRUD mock lacks for kubectl, done as an API server does it:
 *
 * <ul>
 *   <li>content negotiation: kubectl's typed clients send built-in objects as protobuf
 *       ({@link ProtobufObjects}; other protobuf bodies get 415 with a Status saying so), answers
 *       are JSON with a JSON Content-Type (clients decode by it), and a request that accepts no JSON
 *       gets 406;
 *   <li>server-side printing: {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io} (what
 *       {@code kubectl get} sends) is answered with a Table from the CRD's printer columns or the
 *       built-in ones ({@link Tables});
 *   <li>field selectors on lists ({@code kubectl describe} finds an object's Events with
 *       {@code involvedObject.name/namespace/kind/uid}; {@code =}, {@code ==} and {@code !=}); on
 *       custom resources only the metadata name and namespace and the CRD's selectable fields, as
 *       an API server allows ({@code kubectl get vc --field-selector status.phase=Connected});
 *   <li>Secrets: {@code stringData} merged into {@code data} and type {@code Opaque} by default on
 *       create and replace.
 * </ul>
 */
final class KubectlDispatcher extends Dispatcher {
    private static final Logger LOG = Logger.getLogger(KubectlDispatcher.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    /** The kinds of the built-in resources discovery lists ({@link DiscoveryDispatcher}). */
    private static final Map<String, String> BUILTIN_KINDS = Map.of(
            "pods", "Pod",
            "secrets", "Secret",
            "namespaces", "Namespace",
            "configmaps", "ConfigMap",
            "events", "Event",
            "leases", "Lease",
            "customresourcedefinitions", "CustomResourceDefinition");

    private final Dispatcher next;
    private final Clock clock;

    KubectlDispatcher(Dispatcher next, Clock clock) {
        this.next = next;
        this.clock = clock;
    }

    /** A request path split into what the API server routes on. */
    record Target(String group, String version, String namespace, String resource, String name, String subresource) {
        static Target parse(String path) {
            String[] s = path.replaceFirst("^/", "").split("/");
            int rest;
            String group;
            String version;
            if (s.length >= 2 && s[0].equals("api")) {
                group = "";
                version = s[1];
                rest = 2;
            } else if (s.length >= 3 && s[0].equals("apis")) {
                group = s[1];
                version = s[2];
                rest = 3;
            } else {
                return null;
            }
            List<String> r = List.of(s).subList(rest, s.length);
            String namespace = null;
            if (r.size() >= 3 && r.get(0).equals("namespaces")) {
                namespace = r.get(1);
                r = r.subList(2, r.size());
            }
            if (r.isEmpty()) {
                return null;
            }
            return new Target(
                    group,
                    version,
                    namespace,
                    r.get(0),
                    r.size() > 1 ? r.get(1) : null,
                    r.size() > 2 ? String.join("/", r.subList(2, r.size())) : null);
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        int q = path.indexOf('?');
        String base = q < 0 ? path : path.substring(0, q);
        Map<String, List<String>> query = Query.parse(q < 0 ? "" : path.substring(q + 1));
        Target target = Target.parse(base);
        String accept = request.getHeader("Accept");
        if (accept != null && !acceptsJson(accept)) {
            return status(406, "NotAcceptable", "only application/json is served here, not " + accept);
        }
        try {
            request = normalizeBody(request, target);
        } catch (ProtobufObjects.Unsupported e) {
            return status(415, "UnsupportedMediaType", e.getMessage());
        } catch (IOException e) {
            return status(400, "BadRequest", e.getMessage());
        }
        boolean read = "GET".equals(request.getMethod()) && !isWatch(query);
        String fieldSelector = read ? Query.first(query, "fieldSelector") : null;
        String unsupported = fieldSelector == null ? null : unsupportedField(target, fieldSelector);
        if (unsupported != null) {
            return status(400, "BadRequest", "field label not supported: " + unsupported);
        }
        if (fieldSelector != null) {
            query.remove("fieldSelector");
            request = withPath(request, base + Query.format(query));
        }
        MockResponse response = next.dispatch(request);
        if (isWatch(query)) {
            return response;
        }
        if (response.header("Content-Type") == null) {
            // Clients decode by the answer's type; one that sent protobuf would otherwise assume it.
            response.setHeader("Content-Type", JSON_TYPE);
        }
        if (!read || response.code() != 200) {
            return response;
        }
        try {
            JsonNode answer = JSON.readTree(response.getBody().readByteArray());
            if (fieldSelector != null && answer.get("items") instanceof ArrayNode items) {
                filter(items, FieldSelector.parse(fieldSelector));
            }
            if (target != null
                    && answer instanceof ObjectNode list
                    && "List".equals(list.path("kind").asText())) {
                // The store calls every list "List"; typed clients (kubectl describe's Events) need
                // the EventList an API server sends, or they drop the answer.
                String kind = kind(target);
                if (kind != null) {
                    list.put("kind", kind + "List");
                    list.put(
                            "apiVersion",
                            target.group().isEmpty() ? target.version() : target.group() + "/" + target.version());
                }
            }
            String tableVersion = Tables.requestedVersion(accept);
            if (tableVersion != null && target != null && target.subresource() == null) {
                var table = Tables.table(
                        columns(target), answer, tableVersion, Query.first(query, "includeObject"), clock.instant());
                return json(200, table.toString(), JSON_TYPE + ";as=Table;v=" + tableVersion + ";g=meta.k8s.io");
            }
            return json(200, answer.toString(), JSON_TYPE);
        } catch (IOException | RuntimeException e) {
            // Our bug, not the client's: say so in the log, answer as the store answered.
            LOG.log(Level.WARNING, "could not post-process " + base, e);
            return status(500, "InternalError", "the local API failed to answer " + base);
        }
    }

    private List<Tables.Column> columns(Target target) {
        JsonNode crd = crd(target);
        return crd != null ? Tables.forCrd(crd) : BuiltinColumns.of(target.resource());
    }

    private String kind(Target target) {
        JsonNode crd = crd(target);
        return crd != null ? crd.at("/spec/names/kind").asText(null) : BUILTIN_KINDS.get(target.resource());
    }

    /**
     * A field of the selector that a list of a custom resource cannot select on: an API server
     * allows only {@code metadata.name}, {@code metadata.namespace} and the CRD version's
     * {@code selectableFields}. Built-in resources are not checked (each has its own set).
     */
    private String unsupportedField(Target target, String fieldSelector) {
        JsonNode crd = target == null || target.name() != null ? null : crd(target);
        if (crd == null) {
            return null;
        }
        Set<String> allowed = new HashSet<>(Set.of("metadata.name", "metadata.namespace"));
        for (JsonNode version : crd.at("/spec/versions")) {
            if (version.path("name").asText().equals(target.version())) {
                version.path("selectableFields")
                        .findValuesAsText("jsonPath")
                        .forEach(path -> allowed.add(path.replaceFirst("^\\.", "")));
            }
        }
        return FieldSelector.parse(fieldSelector).stream()
                .map(FieldSelector::field)
                .filter(field -> !allowed.contains(field))
                .findFirst()
                .orElse(null);
    }

    /** The CRD serving the target's resource, if one is installed. */
    private JsonNode crd(Target target) {
        if (target.group().isEmpty()) {
            return null;
        }
        MockResponse crd = next.dispatch(get(
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + target.resource() + "." + target.group()));
        if (crd.code() != 200) {
            return null;
        }
        try {
            return JSON.readTree(crd.getBody().readByteArray());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "unreadable CRD for " + target.resource(), e);
            return null;
        }
    }

    /** Protobuf to JSON; Secrets defaulted and their stringData merged as the API server does. */
    private static RecordedRequest normalizeBody(RecordedRequest request, Target target)
            throws ProtobufObjects.Unsupported, IOException {
        String type = request.getHeader("Content-Type");
        boolean write = "POST".equals(request.getMethod()) || "PUT".equals(request.getMethod());
        byte[] body =
                request.getBody() == null ? new byte[0] : request.getBody().getBytes();
        if (type != null && type.startsWith(ProtobufObjects.CONTENT_TYPE)) {
            ObjectNode object = ProtobufObjects.toJson(body);
            return withJsonBody(request, secretDefaults(object));
        }
        if (write
                && target != null
                && "secrets".equals(target.resource())
                && target.subresource() == null
                && type != null
                && type.startsWith(JSON_TYPE)
                && body.length > 0) {
            return withJsonBody(request, secretDefaults((ObjectNode) JSON.readTree(body)));
        }
        return request;
    }

    private static ObjectNode secretDefaults(ObjectNode object) {
        if (!"Secret".equals(object.path("kind").asText())) {
            return object;
        }
        if (object.path("type").asText("").isEmpty()) {
            object.put("type", "Opaque");
        }
        if (object.remove("stringData") instanceof ObjectNode strings) {
            ObjectNode data = object.withObjectProperty("data");
            strings.properties()
                    .forEach(e -> data.put(
                            e.getKey(),
                            Base64.getEncoder()
                                    .encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        }
        return object;
    }

    private static void filter(ArrayNode items, List<FieldSelector> selectors) {
        Iterator<JsonNode> it = items.elements();
        while (it.hasNext()) {
            JsonNode item = it.next();
            if (!selectors.stream().allMatch(s -> s.matches(item))) {
                it.remove();
            }
        }
    }

    /** One term of a field selector: {@code path=value}, {@code path==value} or {@code path!=value}. */
    record FieldSelector(String field, String value, boolean equal) {
        static List<FieldSelector> parse(String selector) {
            List<FieldSelector> terms = new ArrayList<>();
            for (String term : selector.split(",")) {
                if (term.isBlank()) {
                    continue;
                }
                boolean negated = term.contains("!=");
                String[] kv = term.split(negated ? "!=" : "==?", 2);
                String field = kv[0].trim();
                terms.add(new FieldSelector(field, kv.length > 1 ? kv[1].trim() : "", !negated));
            }
            return terms;
        }

        boolean matches(JsonNode object) {
            JsonNode actual = object.at("/" + field.replace(".", "/"));
            String text = actual.isMissingNode() || actual.isNull() ? "" : actual.asText();
            return text.equals(value) == equal;
        }
    }

    private static boolean isWatch(Map<String, List<String>> query) {
        String watch = Query.first(query, "watch");
        return "true".equals(watch) || "1".equals(watch);
    }

    private static boolean acceptsJson(String accept) {
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].trim();
            if (type.equals(JSON_TYPE) || type.equals("*/*") || type.equals("application/*")) {
                return true;
            }
        }
        return false;
    }

    private static RecordedRequest withJsonBody(RecordedRequest request, JsonNode body) throws IOException {
        Headers headers =
                request.getHeaders().newBuilder().set("Content-Type", JSON_TYPE).build();
        return new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                request.getPath(),
                headers,
                new Buffer(JSON.writeValueAsBytes(body)));
    }

    private static RecordedRequest withPath(RecordedRequest request, String path) {
        return new RecordedRequest(
                request.getHttpVersion(), request.method(), path, request.getHeaders(), request.getBody());
    }

    private static RecordedRequest get(String path) {
        return new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.GET,
                path,
                Headers.builder().add("Accept", JSON_TYPE).build(),
                new Buffer());
    }

    private static MockResponse json(int code, String body, String contentType) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", contentType)
                .setBody(body);
    }

    static MockResponse status(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode()
                .put("apiVersion", "v1")
                .put("kind", "Status")
                .put("status", "Failure")
                .put("reason", reason)
                .put("code", code)
                .put("message", message == null ? "" : message);
        status.putObject("metadata");
        return json(code, status.toString(), JSON_TYPE);
    }

    /** Query strings, decoded, in order. */
    static final class Query {
        private Query() {}

        static Map<String, List<String>> parse(String query) {
            Map<String, List<String>> params = new java.util.LinkedHashMap<>();
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                String[] kv = pair.split("=", 2);
                params.computeIfAbsent(decode(kv[0]), k -> new ArrayList<>()).add(kv.length > 1 ? decode(kv[1]) : "");
            }
            return params;
        }

        static String first(Map<String, List<String>> params, String name) {
            List<String> values = params.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        static String format(Map<String, List<String>> params) {
            var out = new StringBuilder();
            params.forEach((name, values) -> values.forEach(v -> out.append(out.isEmpty() ? '?' : '&')
                    .append(encode(name))
                    .append('=')
                    .append(encode(v))));
            return out.toString();
        }

        private static String decode(String s) {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }

        private static String encode(String s) {
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
