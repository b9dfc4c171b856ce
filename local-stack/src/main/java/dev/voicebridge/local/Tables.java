package dev.voicebridge.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Server-side printing as an API server does it for {@code kubectl get}: a {@code meta.k8s.io}
 * Table whose columns come from a CRD's {@code additionalPrinterColumns} (a Name column first,
 * simple JSONPaths, date columns as the age of the timestamp) or, for built-in kinds, from
 * {@link BuiltinColumns}. Ages are rendered like Kubernetes' {@code duration.HumanDuration}.
 */
final class Tables {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One column: its definition and how a row's cell is computed from the object. */
    record Column(String name, String type, String format, String description, int priority, Cell cell) {
        static Column of(String name, String type, int priority, Cell cell) {
            return new Column(name, type, "", "", priority, cell);
        }
    }

    /** A cell from the object and the time the table is printed. */
    @FunctionalInterface
    interface Cell {
        Object of(JsonNode object, Instant now);
    }

    static final Column NAME = new Column(
            "Name",
            "string",
            "name",
            "Name must be unique within a namespace.",
            0,
            (o, now) -> text(o.at("/metadata/name")));

    static final Column AGE = Column.of("Age", "string", 0, (o, now) -> age(o.at("/metadata/creationTimestamp"), now));

    private Tables() {}

    /**
     * The version of {@code meta.k8s.io} Table the Accept header asks for ({@code v1} or
     * {@code v1beta1}), or null when it asks for no table.
     */
    static String requestedVersion(String accept) {
        if (accept == null) {
            return null;
        }
        for (String range : accept.split(",")) {
            String as = null;
            String group = null;
            String version = null;
            for (String parameter : range.split(";")) {
                String[] kv = parameter.trim().split("=", 2);
                if (kv.length == 2) {
                    switch (kv[0].trim()) {
                        case "as" -> as = kv[1].trim();
                        case "g" -> group = kv[1].trim();
                        case "v" -> version = kv[1].trim();
                        default -> {}
                    }
                }
            }
            if ("Table".equals(as)
                    && "meta.k8s.io".equals(group)
                    && ("v1".equals(version) || "v1beta1".equals(version))) {
                return version;
            }
        }
        return null;
    }

    /** The columns a CRD declares for its storage version, after the Name column. */
    static List<Column> forCrd(JsonNode crd) {
        JsonNode version = null;
        for (JsonNode v : crd.at("/spec/versions")) {
            if (version == null || v.path("storage").asBoolean(false)) {
                version = v;
            }
        }
        List<Column> columns = new ArrayList<>(List.of(NAME));
        JsonNode declared = version == null ? null : version.get("additionalPrinterColumns");
        if (declared == null || declared.isEmpty()) {
            columns.add(AGE);
            return columns;
        }
        for (JsonNode c : declared) {
            String type = c.path("type").asText("string");
            String path = c.path("jsonPath").asText();
            columns.add(new Column(
                    c.path("name").asText(),
                    type,
                    c.path("format").asText(""),
                    c.path("description").asText(""),
                    c.path("priority").asInt(0),
                    (object, now) -> crdCell(type, SimpleJsonPath.find(object, path), now)));
        }
        return columns;
    }

    /**
     * The Table for a GET answer: a list's items or a single object, one row each. The row's
     * object is the object's metadata (PartialObjectMetadata), the whole object, or none, as
     * {@code includeObject} says.
     */
    static ObjectNode table(List<Column> columns, JsonNode answer, String version, String includeObject, Instant now) {
        ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/" + version);
        ObjectNode metadata = table.putObject("metadata");
        JsonNode listMeta = answer.path("metadata");
        if (answer.has("items")) {
            copyIfPresent(listMeta, metadata, "resourceVersion");
            copyIfPresent(listMeta, metadata, "continue");
        } else {
            copyIfPresent(listMeta, metadata, "resourceVersion");
        }
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (Column c : columns) {
            definitions
                    .addObject()
                    .put("name", c.name())
                    .put("type", c.type())
                    .put("format", c.format())
                    .put("description", c.description())
                    .put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        List<JsonNode> objects = new ArrayList<>();
        if (answer.has("items")) {
            answer.get("items").forEach(objects::add);
        } else {
            objects.add(answer);
        }
        for (JsonNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column c : columns) {
                cells.addPOJO(c.cell().of(object, now));
            }
            switch (includeObject == null ? "PartialObjectMetadata" : includeObject) {
                case "None" -> {}
                case "Object" -> row.set("object", object);
                default ->
                    row.putObject("object")
                            .put("kind", "PartialObjectMetadata")
                            .put("apiVersion", "meta.k8s.io/" + version)
                            .set("metadata", object.path("metadata"));
            }
        }
        return table;
    }

    /** A cell as the CRD table convertor computes it for the column type. */
    static Object crdCell(String type, JsonNode value, Instant now) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return switch (type) {
            case "integer" -> value.isNumber() ? (Object) value.asLong() : null;
            case "number" -> value.isNumber() ? (Object) value.asDouble() : null;
            case "boolean" -> value.isBoolean() ? (Object) value.asBoolean() : null;
            case "date" -> value.isTextual() ? age(value, now) : null;
            // string columns print any value as kubectl's JSONPath does: text as is, the rest as JSON
            default -> value.isTextual() ? value.asText() : value.isContainerNode() ? value.toString() : value.asText();
        };
    }

    /** The age of an RFC 3339 timestamp, like the API server's date columns. */
    static String age(JsonNode timestamp, Instant now) {
        if (timestamp == null || !timestamp.isTextual() || timestamp.asText().isEmpty()) {
            return "<unknown>";
        }
        try {
            return humanDuration(Duration.between(Instant.parse(timestamp.asText()), now));
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }

    /** Kubernetes' {@code k8s.io/apimachinery/pkg/util/duration.HumanDuration}. */
    static String humanDuration(Duration d) {
        long seconds = d.toMillis() / 1000; // truncated toward zero, as Go's int(d.Seconds())
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = d.toMinutes();
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = d.toHours();
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }

    static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? "" : node.asText();
    }

    static Column textColumn(String name, int priority, Function<JsonNode, String> value) {
        return Column.of(name, "string", priority, (o, now) -> value.apply(o));
    }

    private static void copyIfPresent(JsonNode from, ObjectNode to, String field) {
        if (from.hasNonNull(field) && !from.get(field).asText().isEmpty()) {
            to.put(field, from.get(field).asText());
        }
    }
}
