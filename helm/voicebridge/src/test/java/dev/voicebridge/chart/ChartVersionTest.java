package dev.voicebridge.chart;

import static dev.voicebridge.chart.ChartTest.find;
import static dev.voicebridge.chart.ChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One version: the Maven project version tags the images (Jib, {@code images.registry}/component),
 * and is the chart's version and appVersion, so the chart renders exactly the images the build
 * produced (ImagesIT checks the built images' names against the same Chart.yaml and values).
 */
class ChartVersionTest {
    static final String VERSION = System.getProperty("project.version");

    @Test
    void theChartVersionAndAppVersionAreTheProjectVersion() throws Exception {
        assertThat(VERSION).as("set by the build").isNotBlank();
        JsonNode chart = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("Chart.yaml").toFile());
        assertThat(chart.path("version").asText()).isEqualTo(VERSION);
        assertThat(chart.path("appVersion").asText()).isEqualTo(VERSION);
    }

    @Test
    void everyPodRunsTheImageTheBuildProducesForItsComponent() {
        var docs = ChartTest.renderWithHooks(Map.of());
        for (String component : List.of("signaling-service", "operator", "media-worker")) {
            var pod = find(docs, "Deployment", "vb-" + component, Deployment.class)
                    .getSpec()
                    .getTemplate()
                    .getSpec();
            assertThat(pod.getContainers().get(0).getImage())
                    .isEqualTo("ghcr.io/voicebridge/" + component + ":" + VERSION);
        }
        assertThat(find(docs, "Pod", "vb-install-check", Pod.class)
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("ghcr.io/voicebridge/operator:" + VERSION);
    }

    @Test
    void aRegistryTagAndPullSecretCanBeGiven() {
        var docs = render(Map.of(
                "image.registry", "registry.example.com/vb", "image.tag", "0.9.1", "image.pullSecrets[0]", "pull"));
        var pod = find(docs, "Deployment", "vb-media-worker", Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("registry.example.com/vb/media-worker:0.9.1");
        assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("pull");
    }
}
