package dev.voicebridge.chart;

import static dev.voicebridge.chart.ChartTest.find;
import static dev.voicebridge.chart.ChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The call API's credentials reach signaling-service as files from the Secrets the values name. */
class SignalingClientsChartTest {

    static PodSpec signaling(Map<String, String> values) {
        return find(render(values), "Deployment", "vb-signaling-service", Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    static Map<String, String> env(PodSpec pod) {
        Container container = pod.getContainers().get(0);
        return container.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    @Test
    void byDefaultOnlyTheSingleTokenIsMounted() {
        var pod = signaling(Map.of());
        assertThat(env(pod))
                .containsEntry("VOICEBRIDGE_API_TOKEN_FILE", "/var/run/secrets/voicebridge/call-api/api-token")
                .doesNotContainKey("VOICEBRIDGE_API_CLIENTS_FILE");
        assertThat(volume(pod, "call-api").getSecret().getSecretName()).isEqualTo("voicebridge-call-api");
        assertThat(volume(pod, "call-api-clients")).isNull();
    }

    @Test
    void aClientsSecretIsMountedAndNamedToTheServiceAndTheSingleTokenCanBeDropped() {
        var pod = signaling(Map.of("callApi.clientsSecret", "vb-call-api-clients", "callApi.existingSecret", ""));
        assertThat(env(pod))
                .containsEntry(
                        "VOICEBRIDGE_API_CLIENTS_FILE", "/var/run/secrets/voicebridge/call-api-clients/clients.yaml")
                .doesNotContainKey("VOICEBRIDGE_API_TOKEN_FILE");
        var clients = volume(pod, "call-api-clients").getSecret();
        assertThat(clients.getSecretName()).isEqualTo("vb-call-api-clients");
        assertThat(clients.getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo("clients.yaml");
            assertThat(item.getPath()).isEqualTo("clients.yaml");
        });
        assertThat(volume(pod, "call-api")).isNull();
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .anySatisfy(m -> {
                    assertThat(m.getName()).isEqualTo("call-api-clients");
                    assertThat(m.getReadOnly()).isTrue();
                })
                .noneSatisfy(m -> assertThat(m.getName()).isEqualTo("call-api"));
    }

    @Test
    void theSoftphoneIsOffUnlessTheValueTurnsItOn() {
        assertThat(env(signaling(Map.of()))).containsEntry("VOICEBRIDGE_SOFTPHONE_ENABLED", "false");
        assertThat(env(signaling(Map.of("signaling.softphone.enabled", "true"))))
                .containsEntry("VOICEBRIDGE_SOFTPHONE_ENABLED", "true");
    }
}
