package dev.voicebridge.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CEL rules of the generated CRDs (crds/), evaluated with cel-java as the API server would:
 * every spec field of a VoiceCall but the hang-up request is immutable — it can be neither
 * changed, nor added, nor removed after creation — while the updates the services make pass.
 */
class CrdRulesTest {
    private static final String CALL = """
            {"apiVersion": "voicebridge.dev/v1alpha1", "kind": "VoiceCall",
             "metadata": {"name": "wa-abc", "namespace": "calls"},
             "spec": {"callId": "wacid.1", "source": "whatsapp", "direction": "inbound", "acceptBy": "bridge",
                      "phoneNumberId": "1234567890", "caller": "447700900123", "callerDisplay": "+44*******123",
                      "callee": "15550001906", "agentRef": "support", "overrides": {"voice": "alloy"},
                      "sdpOffer": "v=0\\r\\n", "maxDurationSeconds": 600, "receivedAt": "2026-01-01T00:00:00Z",
                      "userId": "US.11112222333344445555", "calleeDisplay": "+15******906",
                      "callbackData": "order=1",
                      "recording": {"enabled": false}, "transcription": {"enabled": false}}}
            """;

    /** Each immutable spec field with a different valid value. */
    private static final Map<String, Object> CHANGED = new LinkedHashMap<>();

    static {
        CHANGED.put("callId", "wacid.2");
        CHANGED.put("source", "api");
        CHANGED.put("direction", "outbound");
        CHANGED.put("acceptBy", "caller");
        CHANGED.put("phoneNumberId", "999");
        CHANGED.put("caller", "447700900999");
        CHANGED.put("callerDisplay", "+44*******999");
        CHANGED.put("callee", "15550009999");
        CHANGED.put("agentRef", "sales");
        CHANGED.put("overrides", Map.of("voice", "echo"));
        CHANGED.put("sdpOffer", "v=0\r\no=changed\r\n");
        CHANGED.put("maxDurationSeconds", 601);
        CHANGED.put("receivedAt", "2026-01-01T00:00:01Z");
        CHANGED.put("userId", "US.13491208655302741918");
        CHANGED.put("calleeDisplay", "+15******999");
        CHANGED.put("callbackData", "order=2");
        CHANGED.put("recording", Map.of("enabled", true, "purpose", "quality", "announcementLanguage", "en_US"));
        CHANGED.put("transcription", Map.of("enabled", true, "purpose", "quality", "announcementLanguage", "es"));
    }

    /** Outbound calls: no offer in the spec, WhatsApp's answer arrives later (written once). */
    private static final String OUTBOUND = """
            {"apiVersion": "voicebridge.dev/v1alpha1", "kind": "VoiceCall",
             "metadata": {"name": "wa-out", "namespace": "calls"},
             "spec": {"callId": "out.crm.1", "source": "api", "direction": "outbound", "acceptBy": "bridge",
                      "phoneNumberId": "1234567890", "callee": "447700900123", "calleeDisplay": "+44*******123",
                      "agentRef": "support", "callbackData": "order=1", "receivedAt": "2026-01-01T00:00:00Z"}}
            """;

    private static CrdRules calls;

    @BeforeAll
    static void load() throws Exception {
        calls = CrdRules.of("voicecalls.voicebridge.dev-v1.yml");
    }

    static Iterable<String> immutable() {
        return CHANGED.keySet();
    }

    static Iterable<String> optional() {
        return CHANGED.keySet().stream()
                .filter(f -> !calls().schema()
                        .getProperties()
                        .get("spec")
                        .getRequired()
                        .contains(f))
                .toList();
    }

    private static CrdRules calls() {
        try {
            return calls != null ? calls : CrdRules.of("voicecalls.voicebridge.dev-v1.yml");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everySpecFieldButTheHangupIsListedAsImmutableHere() {
        assertThat(calls.schema().getProperties().get("spec").getProperties().keySet())
                .as("a new spec field needs a decision: immutable (add it to CHANGED) or not")
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
                                CHANGED.keySet().stream(), java.util.stream.Stream.of("hangup", "sdpAnswer"))
                        .toList());
        assertThat(calls.schema().getProperties().get("spec").getRequired())
                .as("required fields cannot be removed (schema validation, not CEL)")
                .containsExactlyInAnyOrder("callId", "source", "acceptBy");
    }

    @Test
    void everyRuleOfBothCrdsCompiles() throws Exception {
        for (String file : new String[] {"voicecalls.voicebridge.dev-v1.yml", "voiceagents.voicebridge.dev-v1.yml"}) {
            CrdRules.of(file).rules().forEach((where, rule) -> CrdRules.compile(rule.getRule()));
        }
    }

    @ParameterizedTest
    @MethodSource("immutable")
    void changingAnImmutableFieldIsRejected(String field) {
        ObjectNode changed = call();
        spec(changed)
                .set(
                        field,
                        CrdRules.json("{\"v\":" + json(CHANGED.get(field)) + "}")
                                .get("v"));
        assertThat(calls.update(call(), changed)).anySatisfy(m -> assertThat(m).contains(field));
    }

    @ParameterizedTest
    @MethodSource("optional")
    void removingAnImmutableFieldIsRejected(String field) {
        ObjectNode removed = call();
        spec(removed).remove(field);
        assertThat(calls.update(call(), removed)).anySatisfy(m -> assertThat(m).contains(field));
    }

    @ParameterizedTest
    @MethodSource("optional")
    void addingAnImmutableFieldIsRejected(String field) {
        ObjectNode without = call();
        spec(without).remove(field);
        assertThat(calls.create(without)).isEmpty();
        assertThat(calls.update(without, call())).anySatisfy(m -> assertThat(m).contains(field));
    }

    @Test
    void theUpdatesTheServicesMakePass() {
        assertThat(calls.create(call())).isEmpty();
        assertThat(calls.update(call(), call())).isEmpty();

        ObjectNode hungUp = call();
        spec(hungUp)
                .set("hangup", CrdRules.json("{\"reason\":\"CallerHangup\",\"requestedAt\":\"2026-01-01T00:00:05Z\"}"));
        assertThat(calls.update(call(), hungUp))
                .as("signaling sets the hang-up request")
                .isEmpty();

        ObjectNode annotated = call();
        ((ObjectNode) annotated.get("metadata"))
                .set("annotations", CrdRules.json("{\"voicebridge.dev/accepted\":\"true\"}"));
        annotated.set("status", CrdRules.json("{\"phase\":\"Assigned\"}"));
        assertThat(calls.update(call(), annotated)).as("annotations and status").isEmpty();

        ObjectNode tombstone = call();
        spec(tombstone).remove("sdpOffer");
        spec(tombstone).set("hangup", CrdRules.json("{\"reason\":\"CallerHangup\"}"));
        assertThat(calls.create(tombstone))
                .as("a tombstone is created without an offer")
                .isEmpty();
    }

    @Test
    void theAnswerOfAnOutboundCallIsWrittenOnceAndNeverChanged() {
        ObjectNode outbound = CrdRules.json(OUTBOUND);
        assertThat(calls.create(outbound)).isEmpty();
        ObjectNode answered = CrdRules.json(OUTBOUND);
        spec(answered).put("sdpAnswer", "v=0\r\na=setup:passive\r\n");
        assertThat(calls.update(outbound, answered))
                .as("signaling records WhatsApp's answer once")
                .isEmpty();
        ObjectNode changed = CrdRules.json(OUTBOUND);
        spec(changed).put("sdpAnswer", "v=0\r\na=setup:active\r\n");
        assertThat(calls.update(answered, changed))
                .anySatisfy(m -> assertThat(m).contains("written once"));
        assertThat(calls.update(answered, outbound))
                .anySatisfy(m -> assertThat(m).contains("written once"));
    }

    @Test
    void outboundCallsAreConsistent() {
        ObjectNode callerMode = CrdRules.json(OUTBOUND);
        spec(callerMode).put("acceptBy", "caller");
        assertThat(calls.create(callerMode)).anySatisfy(m -> assertThat(m).contains("acceptBy must be bridge"));
        ObjectNode nobody = CrdRules.json(OUTBOUND);
        spec(nobody).remove("callee");
        assertThat(calls.create(nobody)).anySatisfy(m -> assertThat(m).contains("callee"));
        spec(nobody).put("userId", "US.13491208655302741918");
        assertThat(calls.create(nobody)).as("a BSUID is enough").isEmpty();
        ObjectNode noNumber = CrdRules.json(OUTBOUND);
        spec(noNumber).remove("phoneNumberId");
        assertThat(calls.create(noNumber)).anySatisfy(m -> assertThat(m).contains("phoneNumberId"));
        ObjectNode offered = CrdRules.json(OUTBOUND);
        spec(offered).put("sdpOffer", "v=0\r\n");
        assertThat(calls.create(offered)).anySatisfy(m -> assertThat(m).contains("no sdpOffer"));
        ObjectNode inboundWithAnswer = call();
        spec(inboundWithAnswer).put("sdpAnswer", "v=0\r\n");
        assertThat(calls.create(inboundWithAnswer))
                .anySatisfy(m -> assertThat(m).contains("only on outbound"));
    }

    @Test
    void anEnabledCaptureNeedsPurposeAndLanguage() {
        ObjectNode bare = call();
        spec(bare).set("recording", CrdRules.json("{\"enabled\": true}"));
        assertThat(calls.create(bare)).anySatisfy(m -> assertThat(m).contains("purpose"));
        ObjectNode off = call();
        spec(off).set("transcription", CrdRules.json("{\"enabled\": false}"));
        assertThat(calls.create(off)).isEmpty();
    }

    @Test
    void aHangupRequestCannotBeWithdrawn() {
        ObjectNode hungUp = call();
        spec(hungUp).set("hangup", CrdRules.json("{\"reason\":\"CallerHangup\"}"));
        assertThat(calls.update(hungUp, call())).anySatisfy(m -> assertThat(m).contains("cannot be withdrawn"));
    }

    @Test
    void anHttpToolUrlMustBeHttpsUnlessTheToolSaysInsecure() throws Exception {
        CrdRules agents = CrdRules.of("voiceagents.voicebridge.dev-v1.yml");
        assertThat(agents.create(agent("{\"url\":\"https://tools.example.com/book\"}")))
                .isEmpty();
        assertThat(agents.create(agent("{\"url\":\"http://tools.example.com/book\"}")))
                .anySatisfy(m -> assertThat(m).contains("needs insecure: true"));
        assertThat(agents.create(agent("{\"url\":\"http://booking.clinic.svc/book\",\"insecure\":false}")))
                .anySatisfy(m -> assertThat(m).contains("needs insecure: true"));
        assertThat(agents.create(agent("{\"url\":\"http://booking.clinic.svc/book\",\"insecure\":true}")))
                .isEmpty();
        assertThat(agents.update(
                        agent("{\"url\":\"https://tools.example.com/book\"}"),
                        agent("{\"url\":\"http://attacker.example/collect\"}")))
                .as("an edit is checked like a create")
                .anySatisfy(m -> assertThat(m).contains("needs insecure: true"));
    }

    @Test
    void theShippedExamplesPassEveryRule() throws Exception {
        for (String file : new String[] {"voicecall", "voicecall-outbound", "voiceagent", "voiceagent-live"}) {
            String yaml = Files.readString(Path.of("..", "crds", "examples", file + ".yaml"));
            ObjectNode example = CrdRules.json(Serialization.asJson(Serialization.unmarshal(yaml, Map.class)));
            String kind = file.startsWith("voicecall") ? "voicecall" : "voiceagent";
            assertThat(CrdRules.of(kind + "s.voicebridge.dev-v1.yml").create(example))
                    .as(file)
                    .isEmpty();
        }
    }

    private static ObjectNode agent(String http) {
        return CrdRules.json("""
                {"apiVersion": "voicebridge.dev/v1alpha1", "kind": "VoiceAgent",
                 "metadata": {"name": "support", "namespace": "calls"},
                 "spec": {"tools": [{"name": "book", "type": "http", "http": %s}]}}
                """.formatted(http));
    }

    private static ObjectNode call() {
        return CrdRules.json(CALL);
    }

    private static ObjectNode spec(ObjectNode call) {
        return (ObjectNode) call.get("spec");
    }

    private static String json(Object value) {
        if (value instanceof String s) {
            return TextNode.valueOf(s).toString();
        }
        if (value instanceof Map<?, ?> map) {
            var node = CrdRules.json("{}");
            map.forEach((k, v) -> node.set(
                    (String) k, CrdRules.json("{\"v\":" + json(v) + "}").get("v")));
            return node.toString();
        }
        return value.toString();
    }
}
