package dev.voicebridge.local;

import static dev.voicebridge.local.Tables.AGE;
import static dev.voicebridge.local.Tables.NAME;
import static dev.voicebridge.local.Tables.text;
import static dev.voicebridge.local.Tables.textColumn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.local.Tables.Column;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The table columns an API server prints for the built-in kinds a voicebridge user looks at with
 * kubectl (the printers of Kubernetes' {@code pkg/printers/internalversion}, trimmed to the fields
 * these objects carry); other kinds get the API server's default, Name and Created At. The server
 * always prints the wide columns; kubectl hides those with a priority unless {@code -o wide}.
 */
final class BuiltinColumns {
    private BuiltinColumns() {}

    static List<Column> of(String resource) {
        return switch (resource) {
            case "pods" ->
                List.of(
                        NAME,
                        textColumn("Ready", 0, BuiltinColumns::podReady),
                        textColumn("Status", 0, BuiltinColumns::podStatus),
                        textColumn("Restarts", 0, BuiltinColumns::podRestarts),
                        AGE,
                        textColumn("IP", 1, o -> orNone(text(o.at("/status/podIP")))),
                        textColumn("Node", 1, o -> orNone(text(o.at("/spec/nodeName")))),
                        textColumn("Nominated Node", 1, o -> orNone(text(o.at("/status/nominatedNodeName")))),
                        textColumn("Readiness Gates", 1, o -> "<none>"));
            case "secrets" ->
                List.of(
                        NAME,
                        textColumn("Type", 0, o -> text(o.path("type"))),
                        Column.of("Data", "integer", 0, (o, now) ->
                                (long) o.path("data").size()),
                        AGE);
            case "configmaps" ->
                List.of(
                        NAME,
                        Column.of(
                                "Data",
                                "integer",
                                0,
                                (o, now) -> (long) o.path("data").size()
                                        + o.path("binaryData").size()),
                        AGE);
            case "namespaces" ->
                List.of(
                        NAME,
                        // The API server sets phase Active on create; the in-memory store does not.
                        textColumn("Status", 0, o -> o.at("/status/phase").asText("Active")),
                        AGE);
            case "leases" -> List.of(NAME, textColumn("Holder", 0, o -> text(o.at("/spec/holderIdentity"))), AGE);
            case "events" -> events();
            default ->
                List.of(
                        NAME,
                        Column.of("Created At", "date", 0, (o, now) -> createdAt(o.at("/metadata/creationTimestamp"))));
        };
    }

    private static List<Column> events() {
        return List.of(
                Column.of("Last Seen", "string", 0, BuiltinColumns::eventLastSeen),
                textColumn("Type", 0, o -> text(o.path("type"))),
                textColumn("Reason", 0, o -> text(o.path("reason"))),
                textColumn("Object", 0, BuiltinColumns::eventObject),
                textColumn("Subobject", 1, o -> text(o.at("/involvedObject/fieldPath"))),
                textColumn("Source", 1, BuiltinColumns::eventSource),
                textColumn("Message", 0, o -> text(o.path("message")).strip()),
                Column.of("First Seen", "string", 1, BuiltinColumns::eventFirstSeen),
                Column.of(
                        "Count",
                        "string",
                        1,
                        (o, now) -> o.path("count").asLong(0) == 0
                                ? 1L
                                : o.path("count").asLong()),
                new Column("Name", "string", "name", "", 1, (o, now) -> text(o.at("/metadata/name"))));
    }

    private static Object eventFirstSeen(JsonNode o, Instant now) {
        JsonNode first = o.path("firstTimestamp");
        return text(first).isEmpty() ? Tables.age(o.path("eventTime"), now) : Tables.age(first, now);
    }

    private static Object eventLastSeen(JsonNode o, Instant now) {
        if (o.hasNonNull("series")) {
            return Tables.age(o.at("/series/lastObservedTime"), now);
        }
        JsonNode last = o.path("lastTimestamp");
        return text(last).isEmpty() ? eventFirstSeen(o, now) : Tables.age(last, now);
    }

    private static String eventObject(JsonNode o) {
        String kind = text(o.at("/involvedObject/kind")).toLowerCase(Locale.ROOT);
        String name = text(o.at("/involvedObject/name"));
        return name.isEmpty() ? kind : kind + "/" + name;
    }

    private static String eventSource(JsonNode o) {
        String component = firstNonEmpty(text(o.at("/source/component")), text(o.path("reportingComponent")));
        String instance = firstNonEmpty(text(o.at("/source/host")), text(o.path("reportingInstance")));
        return instance.isEmpty() ? component : component + ", " + instance;
    }

    private static String podReady(JsonNode o) {
        long ready = 0;
        for (JsonNode s : o.at("/status/containerStatuses")) {
            if (s.path("ready").asBoolean(false)) {
                ready++;
            }
        }
        return ready + "/" + o.at("/spec/containers").size();
    }

    private static String podStatus(JsonNode o) {
        String reason = firstNonEmpty(text(o.at("/status/reason")), text(o.at("/status/phase")));
        for (JsonNode s : o.at("/status/containerStatuses")) {
            String waiting = text(s.at("/state/waiting/reason"));
            String terminated = text(s.at("/state/terminated/reason"));
            if (!waiting.isEmpty()) {
                reason = waiting;
            } else if (!terminated.isEmpty()) {
                reason = terminated;
            }
        }
        if (o.at("/metadata/deletionTimestamp").isTextual()) {
            return "Terminating";
        }
        return reason;
    }

    private static String podRestarts(JsonNode o) {
        long restarts = 0;
        for (JsonNode s : o.at("/status/containerStatuses")) {
            restarts += s.path("restartCount").asLong(0);
        }
        return Long.toString(restarts);
    }

    private static String createdAt(JsonNode timestamp) {
        try {
            return DateTimeFormatter.ISO_INSTANT.format(Instant.parse(timestamp.asText()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String orNone(String value) {
        return value.isEmpty() ? "<none>" : value;
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }
}
