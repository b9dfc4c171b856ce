package dev.voicebridge.chart;

import static dev.voicebridge.chart.ChartTest.find;
import static dev.voicebridge.chart.ChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard ConfigMap, and that every panel queries a metric the services export. */
class DashboardTest {
    static final String CONFIG_MAP = "vb-grafana-dashboard";
    /** A whole word (possessive: never a prefix of one), not starting inside a number. */
    static final Pattern IDENTIFIER = Pattern.compile("(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*+");

    static final Set<String> PROMQL_WORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset");
    static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    static JsonNode dashboard(ConfigMap map) throws Exception {
        return new ObjectMapper().readTree(map.getData().get("voicebridge.json"));
    }

    @Test
    void shipsAsAConfigMapTheGrafanaSidecarPicksUp() throws Exception {
        ConfigMap map = find(render(Map.of()), "ConfigMap", CONFIG_MAP, ConfigMap.class);
        assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(map.getMetadata().getNamespace()).isEqualTo("calls");
        assertThat(map.getData().get("voicebridge.json"))
                .isEqualTo(
                        Files.readString(Path.of("dashboards/voicebridge.json")).strip());
        JsonNode dashboard = dashboard(map);
        assertThat(dashboard.path("uid").asText()).isEqualTo("voicebridge-overview");
        assertThat(dashboard.path("title").asText()).isEqualTo("voicebridge");
    }

    @Test
    void theSidecarLabelAndNamespaceAreConfigurable() {
        ConfigMap map = find(
                render(Map.of(
                        "grafanaDashboard.label", "dashboards",
                        "grafanaDashboard.labelValue", "voicebridge",
                        "grafanaDashboard.namespace", "monitoring",
                        "grafanaDashboard.annotations.grafana_folder", "Calls")),
                "ConfigMap",
                CONFIG_MAP,
                ConfigMap.class);
        assertThat(map.getMetadata().getLabels())
                .containsEntry("dashboards", "voicebridge")
                .doesNotContainKey("grafana_dashboard");
        assertThat(map.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(map.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Calls");
    }

    @Test
    void canBeTurnedOff() {
        assertThat(render(Map.of("grafanaDashboard.enabled", "false")))
                .noneMatch(d -> d.getKind().equals("ConfigMap"));
    }

    @Test
    void everyPanelQueriesThroughTheDatasourceVariable() throws Exception {
        JsonNode dashboard = dashboard(find(render(Map.of()), "ConfigMap", CONFIG_MAP, ConfigMap.class));
        List<String> variables = new ArrayList<>();
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> variables.add(
                        v.path("name").asText() + ":" + v.path("type").asText()));
        assertThat(variables).contains("datasource:datasource", "namespace:query");
        List<JsonNode> panels = queryPanels(dashboard);
        assertThat(panels).hasSizeGreaterThanOrEqualTo(15);
        List<Integer> ids = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            ids.add(p.path("id").asInt());
            var grid = p.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt())
                    .as("width of %s", p.path("title").asText())
                    .isBetween(1, 24);
        });
        assertThat(ids).doesNotHaveDuplicates();
        for (JsonNode panel : panels) {
            assertThat(panel.path("datasource").path("uid").asText())
                    .as(panel.path("title").asText())
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> assertThat(t.path("expr").asText())
                    .as(panel.path("title").asText())
                    .contains("namespace=~\"$namespace\""));
        }
    }

    @Test
    void everyMetricAPanelQueriesIsOneTheServicesExport() throws Exception {
        Set<String> exported = ExportedMetrics.all();
        // The catalogue itself is read right (else the check below would prove nothing).
        assertThat(exported)
                .contains(
                        "voicebridge_calls",
                        "voicebridge_call_setup_seconds_bucket",
                        "voicebridge_graph_errors_total",
                        "signaling_webhook_requests_total",
                        "signaling_api_latency_seconds_count",
                        "signaling_api_pending_waiters",
                        "voicebridge_worker_calls_active",
                        "voicebridge_worker_calls_ended_total",
                        "voicebridge_worker_agent_response_latency_seconds_sum",
                        "voicebridge_worker_agent_tokens_total",
                        "voicebridge_worker_agent_cost_usd",
                        "voicebridge_worker_media_packets_lost_total",
                        "voicebridge_worker_media_jitter_buffer_max_seconds");

        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("dashboards/voicebridge.json")));
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : queryPanels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                Set<String> names = metricNames(target.path("expr").asText());
                assertThat(names).as(panel.path("title").asText()).isNotEmpty();
                assertThat(exported)
                        .as("metrics of panel '%s'", panel.path("title").asText())
                        .containsAll(names);
                used.addAll(names);
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
            while (m.find()) {
                assertThat(exported).as("variable " + variable.path("name")).contains(m.group(1));
            }
        }
        // Every family of the operator and every worker-wide aggregate of the media workers is on
        // the dashboard, so a new one is a reminder to add it.
        assertThat(used)
                .contains(
                        "voicebridge_worker_agent_response_latency_seconds_count",
                        "voicebridge_worker_agent_response_latency_seconds_max",
                        "voicebridge_worker_agent_response_latency_seconds",
                        "voicebridge_worker_agent_responses_total",
                        "voicebridge_worker_agent_interruptions_total",
                        "voicebridge_worker_agent_tokens_total",
                        "voicebridge_worker_agent_cost_usd",
                        "voicebridge_worker_agent_session_seconds",
                        "voicebridge_worker_media_packets_received_total",
                        "voicebridge_worker_media_packets_lost_total",
                        "voicebridge_worker_media_concealed_seconds_sum",
                        "voicebridge_worker_media_jitter_buffer_max_seconds",
                        "voicebridge_worker_pacer_ticks",
                        "voicebridge_worker_pacer_ticks_late",
                        "voicebridge_calls",
                        "voicebridge_call_setup_seconds_bucket",
                        "voicebridge_graph_request_seconds_bucket",
                        "voicebridge_graph_errors_total",
                        "voicebridge_placement_failures_total",
                        "signaling_webhook_requests_total");
    }

    @Test
    void metricNamesAreFoundInPromQl() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le, action) (rate("
                        + "voicebridge_graph_request_seconds_bucket{namespace=~\"$namespace\",action!=\"x y\"}"
                        + "[$__rate_interval]))) / on (pod) group_left max without (code) (made_up_metric)"))
                .containsExactlyInAnyOrder("voicebridge_graph_request_seconds_bucket", "made_up_metric");
        assertThat(ExportedMetrics.all()).doesNotContain("made_up_metric");
    }

    /** Metric names of a PromQL expression: identifiers outside strings, matchers, ranges and label lists. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String token = m.group();
            // A function or aggregation is followed by "(".
            int end = m.end();
            while (end < s.length() && Character.isWhitespace(s.charAt(end))) {
                end++;
            }
            boolean call = end < s.length() && s.charAt(end) == '(';
            if (!call && !PROMQL_WORDS.contains(token)) {
                names.add(token);
            }
        }
        return names;
    }

    static List<JsonNode> queryPanels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        collect(dashboard.path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, List<JsonNode> out) {
        for (JsonNode panel : panels) {
            if (panel.path("type").asText().equals("row")) {
                collect(panel.path("panels"), out);
            } else {
                out.add(panel);
            }
        }
    }
}
