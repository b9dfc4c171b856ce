package dev.voicebridge.chart;

import static dev.voicebridge.chart.ChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** values.schema.json: Helm refuses a misspelled key or a mistyped value before rendering anything. */
class ValuesSchemaTest {
    @Test
    void theDefaultsValidate() {
        assertThat(render(Map.of())).isNotEmpty();
    }

    @Test
    void everyObjectOfTheSchemaRefusesKeysItDoesNotName() throws Exception {
        JsonNode schema =
                new ObjectMapper().readTree(Path.of("values.schema.json").toFile());
        List<String> open = new ArrayList<>();
        closed(schema, "", open);
        assertThat(open)
                .as("objects whose keys are not all named (maps say what their values are)")
                .isEmpty();
    }

    private static void closed(JsonNode node, String path, List<String> open) {
        if (node.isObject()) {
            boolean object = node.path("type").asText().equals("object") || node.has("properties");
            if (object && !node.has("additionalProperties")) {
                open.add(path);
            }
            if (object && node.path("additionalProperties").asBoolean(false)) {
                open.add(path);
            }
            node.properties().forEach(e -> closed(e.getValue(), path + "/" + e.getKey(), open));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                closed(node.get(i), path + "/" + i, open);
            }
        }
    }

    /** The chart's duration values take the services' one syntax (Go style or ISO-8601), no bare number. */
    @Test
    void durationValuesTakeTheServicesSyntax() {
        for (String good : List.of("500ms", "0.5s", "10s", "2m", "1m30s", "24h", "PT20S", "PT0.5S")) {
            assertThat(render(Map.of("operator.pendingTimeout", good))).as(good).isNotEmpty();
        }
        for (String bad : List.of("10", "soon", "-5s", "10 s")) {
            assertThatThrownBy(() -> render(Map.of("operator.pendingTimeout", bad)))
                    .as(bad)
                    .hasMessageContaining("pendingTimeout");
        }
    }

    @Test
    void aMisspelledKeyIsRefusedAtEveryLevel() {
        // key set -> the key Helm names as not allowed
        Map<String, String> misspelled = Map.of(
                "mediaWorkers.replicas", "'mediaWorkers'",
                "mediaWorker.capacty", "'capacty'",
                "autoscaling.mediaWorker.scaleDown.periodSecond", "'periodSecond'",
                "podDisruptionBudgets.signaling.maxUnavailabel", "'maxUnavailabel'",
                "mediaWorker.resources.limit.memory", "'limit'");
        misspelled.forEach((key, named) -> assertThatThrownBy(() -> render(Map.of(key, "1")))
                .as(key)
                .hasMessageContaining("additional properties " + named + " not allowed"));
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        assertThatThrownBy(() -> render(Map.of("mediaWorker.capacity", "lots")))
                .hasMessageContaining("capacity")
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> render(Map.of("mediaWorker.hostNetwork", "yes")))
                .hasMessageContaining("hostNetwork")
                .hasMessageContaining("boolean");
        assertThatThrownBy(() -> render(Map.of("signaling.service.type", "Ingress")))
                .hasMessageContaining("type");
        assertThatThrownBy(() -> render(Map.of("operator.pendingTimeout", "soon")))
                .hasMessageContaining("pendingTimeout");
        assertThatThrownBy(() -> render(Map.of("autoscaling.mediaWorker.mode", "vpa")))
                .hasMessageContaining("mode");
        assertThatThrownBy(() -> render(Map.of("mediaWorker.terminationGracePeriodSeconds", "10")))
                .as("a grace period too short to drain a call")
                .hasMessageContaining("terminationGracePeriodSeconds");
    }
}
