package dev.voicebridge.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Reads the Kubernetes protobuf encoding of the few built-in objects kubectl creates with typed
 * clients ({@code kubectl create secret|configmap|namespace}): kubectl sends those as
 * {@code application/vnd.kubernetes.protobuf} and, unlike for CBOR, does not fall back to JSON on
 * HTTP 415. The wire format is the {@code k8s\0} magic followed by a {@code runtime.Unknown}
 * (typeMeta = 1, raw = 2) whose raw bytes are the object's message; field numbers are those of
 * k8s.io/api core/v1 and k8s.io/apimachinery meta/v1 {@code generated.proto}. A field outside the
 * tables below is refused rather than dropped, so nothing a client sent is silently lost.
 */
final class ProtobufObjects {
    static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a field holds and how it appears in JSON. */
    private sealed interface Kind {}

    private record Scalar(Type type) implements Kind {}

    private record Message(Map<Integer, Field> fields) implements Kind {}

    private record StringMap(boolean bytes) implements Kind {}

    private record Repeated(Type type) implements Kind {}

    private enum Type {
        STRING,
        BYTES,
        BOOL,
        INT64
    }

    private record Field(String name, Kind kind) {}

    private static final Message TIME = new Message(Map.of()); // creationTimestamp etc.: server-set, ignored
    private static final Message OBJECT_META = new Message(Map.ofEntries(
            Map.entry(1, new Field("name", new Scalar(Type.STRING))),
            Map.entry(2, new Field("generateName", new Scalar(Type.STRING))),
            Map.entry(3, new Field("namespace", new Scalar(Type.STRING))),
            Map.entry(4, new Field("selfLink", new Scalar(Type.STRING))),
            Map.entry(5, new Field("uid", new Scalar(Type.STRING))),
            Map.entry(6, new Field("resourceVersion", new Scalar(Type.STRING))),
            Map.entry(7, new Field("generation", new Scalar(Type.INT64))),
            Map.entry(8, new Field("creationTimestamp", TIME)),
            Map.entry(9, new Field("deletionTimestamp", TIME)),
            Map.entry(10, new Field("deletionGracePeriodSeconds", new Scalar(Type.INT64))),
            Map.entry(11, new Field("labels", new StringMap(false))),
            Map.entry(12, new Field("annotations", new StringMap(false))),
            Map.entry(14, new Field("finalizers", new Repeated(Type.STRING)))));
    private static final Map<String, Message> KINDS = Map.of(
            "Secret",
            new Message(Map.of(
                    1, new Field("metadata", OBJECT_META),
                    2, new Field("data", new StringMap(true)),
                    3, new Field("type", new Scalar(Type.STRING)),
                    4, new Field("stringData", new StringMap(false)),
                    5, new Field("immutable", new Scalar(Type.BOOL)))),
            "ConfigMap",
            new Message(Map.of(
                    1, new Field("metadata", OBJECT_META),
                    2, new Field("data", new StringMap(false)),
                    3, new Field("binaryData", new StringMap(true)),
                    4, new Field("immutable", new Scalar(Type.BOOL)))),
            "Namespace",
            new Message(Map.of(
                    1,
                    new Field("metadata", OBJECT_META),
                    2,
                    new Field("spec", new Message(Map.of(1, new Field("finalizers", new Repeated(Type.STRING))))),
                    3,
                    new Field("status", new Message(Map.of(1, new Field("phase", new Scalar(Type.STRING))))))));

    /** A body this reader cannot turn into JSON; the message says why, for a 415 Status. */
    static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message);
        }
    }

    private ProtobufObjects() {}

    /** The object as the JSON an API server would have received, with apiVersion and kind. */
    static ObjectNode toJson(byte[] body) throws Unsupported {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw new Unsupported("not a Kubernetes protobuf envelope (no k8s\\0 prefix)");
        }
        var envelope = new Reader(body, MAGIC.length, body.length);
        String apiVersion = "";
        String kind = "";
        byte[] raw = null;
        while (envelope.more()) {
            int tag = envelope.varint32();
            switch (tag >>> 3) {
                case 1 -> {
                    var typeMeta = envelope.nested();
                    while (typeMeta.more()) {
                        int t = typeMeta.varint32();
                        String value = typeMeta.string();
                        if (t >>> 3 == 1) {
                            apiVersion = value;
                        } else if (t >>> 3 == 2) {
                            kind = value;
                        }
                    }
                }
                case 2 -> raw = envelope.bytes();
                case 3, 4 -> {
                    String encoding = envelope.string();
                    if (!encoding.isEmpty() && (tag >>> 3) == 3) {
                        throw new Unsupported("content encoding " + encoding + " is not supported");
                    }
                }
                default -> envelope.skip(tag);
            }
        }
        Message schema = KINDS.get(kind);
        if (!"v1".equals(apiVersion) || schema == null || raw == null) {
            throw new Unsupported("the local API reads protobuf only for core/v1 " + KINDS.keySet() + ", not "
                    + apiVersion + " " + kind + "; send JSON (kubectl apply -f, or -o json)");
        }
        ObjectNode object =
                JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
        read(new Reader(raw, 0, raw.length), schema, object, kind);
        return object;
    }

    private static void read(Reader in, Message schema, ObjectNode into, String where) throws Unsupported {
        while (in.more()) {
            int tag = in.varint32();
            Field field = schema.fields().get(tag >>> 3);
            if (field == null) {
                // Go's encoder writes empty optional fields; only a field that carries something matters.
                if (!in.skipEmpty(tag)) {
                    throw new Unsupported(where + " field " + (tag >>> 3) + " is not supported by the local API");
                }
                continue;
            }
            switch (field.kind()) {
                case Scalar scalar -> {
                    switch (scalar.type()) {
                        case STRING -> putUnlessEmpty(into, field.name(), in.string());
                        case BYTES -> into.put(field.name(), Base64.getEncoder().encodeToString(in.bytes()));
                        case BOOL -> into.put(field.name(), in.varint() != 0);
                        case INT64 -> {
                            long value = in.varint();
                            if (value != 0) {
                                into.put(field.name(), value);
                            }
                        }
                    }
                }
                case Message message -> {
                    Reader nested = in.nested();
                    if (message == TIME) {
                        continue; // set by the server, never by a create
                    }
                    ObjectNode child = JSON.createObjectNode();
                    read(nested, message, child, where + "." + field.name());
                    if (!child.isEmpty()) {
                        into.set(field.name(), child);
                    }
                }
                case StringMap map -> {
                    Reader entry = in.nested();
                    String key = "";
                    String value = "";
                    while (entry.more()) {
                        int t = entry.varint32();
                        if (t >>> 3 == 1) {
                            key = entry.string();
                        } else if (t >>> 3 == 2) {
                            value = map.bytes() ? Base64.getEncoder().encodeToString(entry.bytes()) : entry.string();
                        } else {
                            entry.skip(t);
                        }
                    }
                    into.with(field.name()).put(key, value);
                }
                case Repeated repeated -> into.withArray(field.name()).add(in.string());
            }
        }
    }

    private static void putUnlessEmpty(ObjectNode into, String name, String value) {
        if (!value.isEmpty()) {
            into.put(name, value);
        }
    }

    /** Protocol buffers wire format: varints and length-delimited fields. */
    private static final class Reader {
        private final byte[] data;
        private int at;
        private final int end;

        Reader(byte[] data, int from, int end) {
            this.data = data;
            this.at = from;
            this.end = end;
        }

        boolean more() {
            return at < end;
        }

        long varint() throws Unsupported {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= end) {
                    throw new Unsupported("truncated protobuf message");
                }
                byte b = data[at++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new Unsupported("malformed varint");
        }

        int varint32() throws Unsupported {
            return (int) varint();
        }

        Reader nested() throws Unsupported {
            int length = varint32();
            if (length < 0 || length > end - at) {
                throw new Unsupported("truncated protobuf message");
            }
            var reader = new Reader(data, at, at + length);
            at += length;
            return reader;
        }

        byte[] bytes() throws Unsupported {
            Reader r = nested();
            return Arrays.copyOfRange(data, r.at, r.end);
        }

        String string() throws Unsupported {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        /** Skips the field if it is empty (zero varint, zero-length bytes); false, unread, if not. */
        boolean skipEmpty(int tag) throws Unsupported {
            int mark = at;
            boolean empty =
                    switch (tag & 7) {
                        case 0 -> varint() == 0;
                        case 2 -> varint32() == 0;
                        default -> false;
                    };
            if (!empty) {
                at = mark;
            }
            return empty;
        }

        void skip(int tag) throws Unsupported {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> at += 8;
                case 2 -> nested();
                case 5 -> at += 4;
                default -> throw new Unsupported("unsupported protobuf wire type " + (tag & 7));
            }
            if (at > end) {
                throw new Unsupported("truncated protobuf message");
            }
        }
    }
}
