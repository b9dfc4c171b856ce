package dev.voicebridge.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lints the chart and checks what it renders: the promises of least privilege and media networking. */
class ChartTest {
    static final Path CHART = Path.of(".");

    static List<GenericKubernetesResource> render(Map<String, String> values) {
        var template = new Helm(CHART).template().withName("vb").withNamespace("calls");
        values.forEach(template::set);
        String out = template.call();
        return Arrays.stream(out.split("(?m)^---\\s*$"))
                .map(String::strip)
                .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
                .map(doc -> Serialization.unmarshal(doc, GenericKubernetesResource.class))
                .toList();
    }

    static <T extends HasMetadata> T find(
            List<GenericKubernetesResource> docs, String kind, String name, Class<T> type) {
        var doc = docs.stream()
                .filter(d ->
                        d.getKind().equals(kind) && d.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(kind + " " + name + " not rendered"));
        return Serialization.unmarshal(Serialization.asJson(doc), type);
    }

    @Test
    void lintsClean() {
        var result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
    }

    @Test
    void shipsTheGeneratedCrds() throws Exception {
        assertThat(Files.readString(CHART.resolve("crds/voicecalls.voicebridge.dev-v1.yml")))
                .isEqualTo(Files.readString(Path.of("../../crds/voicecalls.voicebridge.dev-v1.yml")));
        assertThat(CHART.resolve("crds/voiceagents.voicebridge.dev-v1.yml")).exists();
    }

    @Test
    void rolesAreLeastPrivilege() {
        var docs = render(Map.of());
        assertThat(rules(find(docs, "Role", "vb-signaling-service", Role.class)))
                .containsExactlyInAnyOrder(
                        "voicebridge.dev/voicecalls:get,list,watch,create,patch",
                        "voicebridge.dev/voiceagents:get,list,watch");
        assertThat(rules(find(docs, "Role", "vb-media-worker", Role.class)))
                .containsExactlyInAnyOrder(
                        "voicebridge.dev/voicecalls:get,list,watch",
                        "voicebridge.dev/voicecalls/status:get,patch",
                        "voicebridge.dev/voiceagents:get,list,watch",
                        "/secrets:get",
                        "/pods:get,patch");
        var operator = rules(find(docs, "Role", "vb-operator", Role.class));
        assertThat(operator)
                .contains(
                        "coordination.k8s.io/leases:get,create,update",
                        "/pods:get,list,watch",
                        "voicebridge.dev/voiceagents/status:get,patch");
        assertThat(operator).noneMatch(r -> r.contains("*"));
        assertThat(docs)
                .noneMatch(d -> d.getKind().equals("ClusterRole") || d.getKind().equals("ClusterRoleBinding"));
    }

    static List<String> rules(Role role) {
        return role.getRules().stream().flatMap(ChartTest::rule).toList();
    }

    static java.util.stream.Stream<String> rule(PolicyRule r) {
        return r.getResources().stream()
                .map(res -> r.getApiGroups().get(0) + "/" + res + ":" + String.join(",", r.getVerbs()));
    }

    @Test
    void mediaWorkerUsesHostNetworkingTheNodeAddressAndDrains() {
        var worker = find(render(Map.of()), "Deployment", "vb-media-worker", Deployment.class);
        var pod = worker.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(900L);
        assertThat(pod.getContainers().get(0).getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
                .isEqualTo("VOICEBRIDGE_WORKER_DRAIN_TIMEOUT=PT870S"));
        assertThat(worker.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/component", "media-worker");
        var env = pod.getContainers().get(0).getEnv();
        assertThat(env).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("VOICEBRIDGE_MEDIA_ADVERTISED_ADDRESS");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
        });
        assertThat(env).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("VOICEBRIDGE_WORKER_POD_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        });
        assertThat(pod.getContainers().get(0).getPorts())
                .anySatisfy(p ->
                        assertThat(p.getProtocol() + "/" + p.getContainerPort()).isEqualTo("UDP/10000"));
    }

    @Test
    void staticNatAddressOverridesTheNodeAddress() {
        var worker = find(
                render(Map.of("mediaWorker.advertisedAddress", "203.0.113.7")),
                "Deployment",
                "vb-media-worker",
                Deployment.class);
        assertThat(worker.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("VOICEBRIDGE_MEDIA_ADVERTISED_ADDRESS");
                    assertThat(e.getValue()).isEqualTo("203.0.113.7");
                });
    }

    @Test
    void secretsReachSignalingAsFilesNeverAsValues() {
        var docs = render(Map.of());
        var signaling = find(docs, "Deployment", "vb-signaling-service", Deployment.class);
        var env = signaling
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv();
        assertThat(env)
                .extracting(e -> e.getName())
                .contains("VOICEBRIDGE_WHATSAPP_APP_SECRET_FILE", "VOICEBRIDGE_API_TOKEN_FILE")
                .doesNotContain("VOICEBRIDGE_WHATSAPP_APP_SECRET", "VOICEBRIDGE_API_TOKEN");
        assertThat(docs).noneMatch(d -> d.getKind().equals("Secret"));
    }

    @Test
    void theOtlpEndpointReachesEveryServiceAndItsPortIsOpenForEgress() {
        var docs = render(Map.of("telemetry.otlpEndpoint", "http://otel-collector.observability:4318"));
        for (String name : List.of("vb-signaling-service", "vb-operator", "vb-media-worker")) {
            var env = find(docs, "Deployment", name, Deployment.class)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv();
            assertThat(env).as(name).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
                    .isEqualTo("OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.observability:4318"));
        }
        for (String name : List.of("vb-signaling-service", "vb-operator")) {
            assertThat(egressPorts(find(docs, "NetworkPolicy", name, NetworkPolicy.class)))
                    .as(name)
                    .contains("TCP/4318", "TCP/443");
        }
        assertThat(egressPorts(find(
                        render(Map.of("telemetry.otlpEndpoint", "http://collector")),
                        "NetworkPolicy",
                        "vb-operator",
                        NetworkPolicy.class)))
                .contains("TCP/4317");
        assertThat(egressPorts(find(render(Map.of()), "NetworkPolicy", "vb-operator", NetworkPolicy.class)))
                .containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/443", "TCP/6443");
    }

    static List<String> egressPorts(NetworkPolicy policy) {
        return policy.getSpec().getEgress().stream()
                .flatMap(rule -> rule.getPorts().stream())
                .map(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                .toList();
    }

    @Test
    void networkPoliciesCanBeTurnedOff() {
        assertThat(render(Map.of()))
                .filteredOn(d -> d.getKind().equals("NetworkPolicy"))
                .hasSize(2);
        assertThat(render(Map.of("networkPolicies.enabled", "false")))
                .noneMatch(d -> d.getKind().equals("NetworkPolicy"));
    }
}
