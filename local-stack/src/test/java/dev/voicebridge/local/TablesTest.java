package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.Crds;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Server-side printing rules, checked against what Kubernetes' own code prints. */
class TablesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cases of k8s.io/apimachinery/pkg/util/duration's HumanDuration tests. */
    @Test
    void agesReadLikeKubectls() {
        assertThat(Tables.humanDuration(Duration.ofSeconds(-2))).isEqualTo("<invalid>");
        assertThat(Tables.humanDuration(Duration.ofMillis(-1500))).isEqualTo("0s");
        assertThat(Tables.humanDuration(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(Tables.humanDuration(Duration.ofSeconds(70))).isEqualTo("70s");
        assertThat(Tables.humanDuration(Duration.ofSeconds(135))).isEqualTo("2m15s");
        assertThat(Tables.humanDuration(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Tables.humanDuration(Duration.ofMinutes(47))).isEqualTo("47m");
        assertThat(Tables.humanDuration(Duration.ofMinutes(190))).isEqualTo("3h10m");
        assertThat(Tables.humanDuration(Duration.ofHours(5))).isEqualTo("5h");
        assertThat(Tables.humanDuration(Duration.ofHours(47))).isEqualTo("47h");
        assertThat(Tables.humanDuration(Duration.ofHours(49))).isEqualTo("2d1h");
        assertThat(Tables.humanDuration(Duration.ofDays(10))).isEqualTo("10d");
        assertThat(Tables.humanDuration(Duration.ofDays(800))).isEqualTo("2y70d");
        assertThat(Tables.humanDuration(Duration.ofDays(365 * 9))).isEqualTo("9y");
    }

    @Test
    void theVoiceCallTableHasTheCrdsColumnsInOrderAndTypedCells() throws Exception {
        var crd = JSON.valueToTree(Crds.voiceCalls());
        var columns = Tables.forCrd(crd);
        assertThat(columns)
                .extracting(Tables.Column::name)
                .containsExactly("Name", "Phase", "From", "Agent", "Worker", "Duration", "Age", "Reason");
        var now = Instant.parse("2026-01-01T10:05:00Z");
        var call = JSON.readTree("""
                {"metadata":{"name":"wa-1","creationTimestamp":"2026-01-01T10:00:00Z"},
                 "spec":{"callerDisplay":"+44*******123","agentRef":"default"},
                 "status":{"phase":"Ended","assignment":{"worker":"w1"},"timestamps":{"durationSeconds":42},
                           "end":{"reason":"CallerHangup"}}}""");
        var table = Tables.table(columns, call, "v1", null, now);
        assertThat(table.path("rows").get(0).path("cells").toString())
                .isEqualTo("[\"wa-1\",\"Ended\",\"+44*******123\",\"default\",\"w1\",42,\"5m\",\"CallerHangup\"]");
        assertThat(table.at("/columnDefinitions/7/priority").asInt()).isEqualTo(1);
        assertThat(table.at("/rows/0/object/kind").asText()).isEqualTo("PartialObjectMetadata");
        // a call not yet placed: empty cells are null, as the API server sends them
        var pending = JSON.readTree("{\"metadata\":{\"name\":\"wa-2\"},\"spec\":{}}");
        assertThat(Tables.table(columns, pending, "v1", "None", now)
                        .at("/rows/0")
                        .toString())
                .isEqualTo("{\"cells\":[\"wa-2\",null,null,null,null,null,null,null]}");
    }

    /** The agent's Ready column selects a condition by type: a JSONPath filter. */
    @Test
    void theVoiceAgentTableShowsTheReadyCondition() throws Exception {
        var columns = Tables.forCrd(JSON.valueToTree(Crds.voiceAgents()));
        assertThat(columns)
                .extracting(Tables.Column::name)
                .containsExactly("Name", "API", "Model", "Voice", "Numbers", "Ready", "Age");
        var agent = JSON.readTree("""
                {"metadata":{"name":"default","creationTimestamp":"2026-01-01T10:00:00Z"},
                 "spec":{"api":"realtime","voice":"marin","phoneNumberIds":["100000000000001"]},
                 "status":{"model":"gpt-realtime-2.1","conditions":[
                   {"type":"Other","status":"False"},{"type":"Ready","status":"True","reason":"Valid"}]}}""");
        assertThat(Tables.table(columns, agent, "v1", "None", Instant.parse("2026-01-01T10:00:30Z"))
                        .at("/rows/0/cells")
                        .toString())
                .isEqualTo("[\"default\",\"realtime\",\"gpt-realtime-2.1\",\"marin\",\"[\\\"100000000000001\\\"]\","
                        + "\"True\",\"30s\"]");
        assertThat(SimpleJsonPath.find(agent, ".status.conditions[?(@.type=='Other')].status")
                        .asText())
                .isEqualTo("False");
        assertThat(SimpleJsonPath.find(agent, ".status.conditions[?(@.type==\"Gone\")].status")
                        .isMissingNode())
                .isTrue();
    }

    @Test
    void stringColumnsPrintListsAsJsonAndOnlySimplePathsResolve() throws Exception {
        var agent = JSON.readTree("{\"spec\":{\"phoneNumberIds\":[\"1\",\"2\"],\"tools\":[{\"name\":\"t\"}]}}");
        assertThat(Tables.crdCell("string", SimpleJsonPath.find(agent, ".spec.phoneNumberIds"), Instant.EPOCH))
                .isEqualTo("[\"1\",\"2\"]");
        assertThat(SimpleJsonPath.find(agent, "{.spec.tools[0].name}").asText()).isEqualTo("t");
        assertThat(SimpleJsonPath.find(agent, ".spec.tools[*].name").isMissingNode())
                .isTrue();
        assertThat(Tables.crdCell("integer", JSON.readTree("\"x\""), Instant.EPOCH))
                .isNull();
        assertThat(Tables.crdCell("date", JSON.readTree("\"yesterday\""), Instant.EPOCH))
                .isEqualTo("<invalid>");
    }

    @Test
    void acceptHeadersAskForTablesOnlyWithTheMetaGroup() {
        String kubectl =
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
                        + "application/json";
        assertThat(Tables.requestedVersion(kubectl)).isEqualTo("v1");
        assertThat(Tables.requestedVersion("application/json;as=Table;v=v1beta1;g=meta.k8s.io"))
                .isEqualTo("v1beta1");
        assertThat(Tables.requestedVersion("application/json")).isNull();
        assertThat(Tables.requestedVersion("application/json;as=Table;v=v1;g=example.com"))
                .isNull();
    }
}
