package dev.voicebridge.chart;

import static dev.voicebridge.chart.ChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every rendered manifest, with the defaults and with every option on, is valid for its Kubernetes type. */
class RenderedManifestsTest {
    /** Every optional part of the chart switched on. */
    static final Map<String, String> EVERYTHING = Map.ofEntries(
            Map.entry("autoscaling.signaling.enabled", "true"),
            Map.entry("autoscaling.mediaWorker.mode", "hpa"),
            Map.entry("callApi.clientsSecret", "vb-call-api-clients"),
            Map.entry("image.pullSecrets[0]", "registry"),
            Map.entry("mediaWorker.advertisedAddress", "203.0.113.7"),
            Map.entry("mediaWorker.nodeSelector.voicebridge\\.dev/pool", "media"),
            Map.entry("mediaWorker.tolerations[0].key", "media"),
            Map.entry("mediaWorker.tolerations[0].operator", "Exists"),
            Map.entry("mediaWorker.extraEnv[0].name", "JAVA_TOOL_OPTIONS"),
            Map.entry("mediaWorker.extraEnv[0].value", "-Xss512k"),
            Map.entry("networkPolicies.apiServerCidrs[0]", "10.0.0.1/32"),
            Map.entry("telemetry.otlpEndpoint", "http://otel-collector.observability:4318"),
            Map.entry("agentSecrets.toolTokens[0]", "booking"),
            Map.entry("grafanaDashboard.annotations.grafana_folder", "voicebridge"));

    @Test
    void everyDocumentIsValidForItsKubernetesTypeWithTheDefaults() {
        assertValid(ChartTest.renderWithHooks(Map.of()));
    }

    @Test
    void everyDocumentIsValidWithEveryOptionOn() {
        var docs = ChartTest.renderWithHooks(EVERYTHING);
        assertThat(docs).extracting(GenericKubernetesResource::getKind).contains("HorizontalPodAutoscaler", "Pod");
        assertValid(docs);
        assertValid(ChartTest.renderWithHooks(
                Map.of("autoscaling.mediaWorker.mode", "keda", "podDisruptionBudgets.enabled", "false")));
    }

    @Test
    void aMisspelledOrMistypedFieldIsCaught() {
        var worker = render(Map.of()).stream()
                .filter(d -> d.getKind().equals("Deployment")
                        && d.getMetadata().getName().equals("vb-media-worker"))
                .findFirst()
                .orElseThrow();
        String json = Serialization.asJson(worker);
        var misspelled = Serialization.unmarshal(
                json.replace("\"terminationGracePeriodSeconds\"", "\"terminationGracePeriodSecond\""),
                GenericKubernetesResource.class);
        assertThat(StrictManifests.problems(misspelled))
                .singleElement()
                .asString()
                .contains("spec.template.spec", "terminationGracePeriodSecond");
        var mistyped = Serialization.unmarshal(
                json.replace("\"hostNetwork\":true", "\"hostNetwork\":{\"enabled\":true}"),
                GenericKubernetesResource.class);
        assertThat(StrictManifests.problems(mistyped))
                .singleElement()
                .asString()
                .contains("spec.template.spec.hostNetwork");
    }

    static void assertValid(List<GenericKubernetesResource> docs) {
        assertThat(docs).isNotEmpty();
        assertThat(docs.stream().flatMap(d -> StrictManifests.problems(d).stream()))
                .isEmpty();
    }
}
