package dev.voicebridge.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
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
    /** The oldest Kubernetes the chart declares (Chart.yaml kubeVersion): what it renders must exist there. */
    static final String KUBE_VERSION = "1.23.0";

    static List<GenericKubernetesResource> render(Map<String, String> values) {
        var template =
                new Helm(CHART).template().withName("vb").withNamespace("calls").withKubeVersion(KUBE_VERSION);
        values.forEach(template::set);
        return parse(template.call());
    }

    static List<GenericKubernetesResource> parse(String out) {
        return Arrays.stream(out.split("(?m)^---\\s*$"))
                .map(String::strip)
                .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
                .map(doc -> Serialization.unmarshal(doc, GenericKubernetesResource.class))
                .toList();
    }

    /** The annotation that stands for helm.sh/hook in {@link #renderWithHooks}. */
    static final String RENDERED_HOOK = "voicebridge.dev/rendered-hook";

    /**
     * What {@link #render} gives plus the hooks (the helm test Pod and its RBAC), which helm-java's
     * template leaves out: a copy of the chart whose hook annotations are renamed, so Helm renders
     * them as plain resources ({@code helm.sh/hook} becomes {@link #RENDERED_HOOK}).
     */
    static List<GenericKubernetesResource> renderWithHooks(Map<String, String> values) {
        try {
            Path copy = Files.createTempDirectory("voicebridge-chart");
            for (String part :
                    List.of("Chart.yaml", "values.yaml", "values.schema.json", "crds", "dashboards", "templates")) {
                copyTree(CHART.resolve(part), copy.resolve(part));
            }
            try (var hooks = Files.walk(copy.resolve("templates/tests"))) {
                for (Path file : hooks.filter(Files::isRegularFile).toList()) {
                    Files.writeString(
                            file, Files.readString(file).replace("\"helm.sh/hook\"", "\"" + RENDERED_HOOK + "\""));
                }
            }
            var template = new Helm(copy)
                    .template()
                    .withName("vb")
                    .withNamespace("calls")
                    .withKubeVersion(KUBE_VERSION);
            values.forEach(template::set);
            return parse(template.call());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
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
        // signaling-service: creates calls, sets hang-up requests and annotations, watches calls and
        // agents (informers); its Secrets are mounted files, never read through the API.
        assertThat(rules(find(docs, "Role", "vb-signaling-service", Role.class)))
                .containsExactlyInAnyOrder(
                        "voicebridge.dev/voicecalls:get,list,watch,create,patch",
                        "voicebridge.dev/voiceagents:get,list,watch");
        // operator: reconciles calls, validates agents (a controller: watches them, writes their
        // status), watches worker pods and sets their pod-deletion-cost (patch), reads only the
        // Secrets agents may use, records Events, holds its Lease.
        assertThat(rules(find(docs, "Role", "vb-operator", Role.class)))
                .containsExactlyInAnyOrder(
                        "voicebridge.dev/voicecalls:get,list,watch,patch,delete",
                        "voicebridge.dev/voicecalls/status:get,patch",
                        "voicebridge.dev/voiceagents:get,list,watch",
                        "voicebridge.dev/voiceagents/status:get,patch",
                        "/pods:get,list,watch,patch",
                        "/secrets:get[voicebridge-openai,voicebridge-whatsapp]",
                        "/events:create",
                        "coordination.k8s.io/leases:create",
                        "coordination.k8s.io/leases:get,update[voicebridge-operator]");
        // media-worker: its calls and their status, agents, and only the OpenAI key / tool token
        // Secrets it is given, watched by name (list/watch by resourceNames needs a name field
        // selector, so it is no more than get); nothing on pods (the operator reads its drain from
        // the pod deletion).
        assertThat(rules(find(docs, "Role", "vb-media-worker", Role.class)))
                .containsExactlyInAnyOrder(
                        "voicebridge.dev/voicecalls:get,list,watch",
                        "voicebridge.dev/voicecalls/status:get,patch",
                        "voicebridge.dev/voiceagents:get,list,watch",
                        "/secrets:get,list,watch[voicebridge-openai]");
        assertThat(docs)
                .filteredOn(d -> d.getKind().equals("Role"))
                .flatExtracting(d -> rules(Serialization.unmarshal(Serialization.asJson(d), Role.class)))
                .noneMatch(r -> r.contains("*"));
        assertThat(docs)
                .noneMatch(d -> d.getKind().equals("ClusterRole") || d.getKind().equals("ClusterRoleBinding"));
    }

    @Test
    void secretsAreGrantedByNameFromTheValuesAndAnEmptyListGrantsNone() {
        var docs = render(Map.of(
                "agentSecrets.whatsappTokens[0]", "wa-support",
                "agentSecrets.whatsappTokens[1]", "voicebridge-whatsapp",
                "agentSecrets.openaiKeys[0]", "openai-support",
                "agentSecrets.toolTokens[0]", "booking",
                "agentSecrets.toolTokens[1]", "crm"));
        // the operator checks that every Secret an agent names exists; it sends only the WhatsApp token
        assertThat(rules(find(docs, "Role", "vb-operator", Role.class)))
                .contains("/secrets:get[booking,crm,openai-support,voicebridge-whatsapp,wa-support]");
        assertThat(rules(find(docs, "Role", "vb-media-worker", Role.class)))
                .contains("/secrets:get,list,watch[booking,crm,openai-support]");

        // resourceNames: [] would mean every Secret: with nothing to read there is no rule at all.
        var none = render(Map.of("agentSecrets.openaiKeys", "null"));
        assertThat(rules(find(none, "Role", "vb-media-worker", Role.class))).noneMatch(r -> r.startsWith("/secrets"));
        assertThat(none)
                .filteredOn(d -> d.getKind().equals("Role"))
                .flatExtracting(d -> Serialization.unmarshal(Serialization.asJson(d), Role.class)
                        .getRules())
                .filteredOn(r -> r.getResources().contains("secrets"))
                .allMatch(r -> !r.getResourceNames().isEmpty());
    }

    static List<String> rules(Role role) {
        return role.getRules().stream().flatMap(ChartTest::rule).toList();
    }

    /** {@code group/resource:verbs} plus {@code [names]} (sorted) when the rule is by name. */
    static java.util.stream.Stream<String> rule(PolicyRule r) {
        String names = r.getResourceNames() == null || r.getResourceNames().isEmpty()
                ? ""
                : "[" + String.join(",", r.getResourceNames().stream().sorted().toList()) + "]";
        return r.getResources().stream()
                .map(res -> r.getApiGroups().get(0) + "/" + res + ":" + String.join(",", r.getVerbs()) + names);
    }

    @Test
    void everyServiceHasADisruptionBudgetSelectingItsPods() {
        var docs = render(Map.of());
        for (String component : List.of("signaling-service", "operator", "media-worker")) {
            var pdb = find(docs, "PodDisruptionBudget", "vb-" + component, PodDisruptionBudget.class);
            var pods = find(docs, "Deployment", "vb-" + component, Deployment.class)
                    .getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getLabels();
            assertThat(pods)
                    .as(component)
                    .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
            assertThat(pdb.getSpec().getSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/component", component);
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal())
                    .as(component)
                    .isEqualTo(1);
            assertThat(pdb.getSpec().getMinAvailable()).isNull();
        }
        var tuned = render(Map.of(
                "podDisruptionBudgets.signaling.minAvailable", "2",
                "podDisruptionBudgets.signaling.maxUnavailable", "null"));
        var signaling = find(tuned, "PodDisruptionBudget", "vb-signaling-service", PodDisruptionBudget.class);
        assertThat(signaling.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
        assertThat(signaling.getSpec().getMaxUnavailable()).isNull();
        assertThat(render(Map.of("podDisruptionBudgets.enabled", "false")))
                .noneMatch(d -> d.getKind().equals("PodDisruptionBudget"));
    }

    @Test
    void theOperatorAndTheWorkerBindTheirHttpPortToThePodAddress() {
        var docs = render(Map.of());
        assertThat(env(docs, "vb-operator", "VOICEBRIDGE_HTTP_HOST")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("status.podIP");
        assertThat(env(docs, "vb-media-worker", "SERVER_HOST")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .as("host network: the node's primary address, not every address of the node")
                .isEqualTo("status.podIP");
        var everywhere = render(Map.of("httpBind.operator", "0.0.0.0", "httpBind.mediaWorker", "0.0.0.0"));
        assertThat(env(everywhere, "vb-operator", "VOICEBRIDGE_HTTP_HOST").getValue())
                .isEqualTo("0.0.0.0");
        assertThat(env(everywhere, "vb-media-worker", "SERVER_HOST").getValue()).isEqualTo("0.0.0.0");
    }

    @Test
    void theOperatorGetsTheOutboundRingTimeout() {
        assertThat(env(render(Map.of()), "vb-operator", "VOICEBRIDGE_RING_TIMEOUT")
                        .getValue())
                .isEqualTo("45s");
        assertThat(env(render(Map.of("operator.ringTimeout", "20s")), "vb-operator", "VOICEBRIDGE_RING_TIMEOUT")
                        .getValue())
                .isEqualTo("20s");
    }

    static io.fabric8.kubernetes.api.model.EnvVar env(
            List<GenericKubernetesResource> docs, String deployment, String name) {
        return find(docs, "Deployment", deployment, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv()
                .stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(deployment + " has no " + name));
    }

    @Test
    void mediaWorkerUsesHostNetworkingTheNodeAddressAndDrains() {
        var worker = find(render(Map.of()), "Deployment", "vb-media-worker", Deployment.class);
        var pod = worker.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(900L);
        assertThat(pod.getContainers().get(0).getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
                .isEqualTo("VOICEBRIDGE_WORKER_DRAIN_TIMEOUT=870s"));
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
                .contains("TCP/4318");
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
    void dnsGoesOnlyToTheClusterDnsAndTheApiServerCanBePinned() {
        var docs = render(Map.of());
        for (String name : List.of("vb-signaling-service", "vb-operator")) {
            var dns = find(docs, "NetworkPolicy", name, NetworkPolicy.class).getSpec().getEgress().stream()
                    .filter(rule ->
                            rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 53))
                    .toList();
            assertThat(dns).as(name).singleElement().satisfies(rule -> assertThat(rule.getTo())
                    .singleElement()
                    .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .containsExactly(Map.entry("kubernetes.io/metadata.name", "kube-system"))));
        }
        var pinned = render(Map.of("networkPolicies.apiServerCidrs[0]", "10.0.0.1/32"));
        var api =
                find(pinned, "NetworkPolicy", "vb-signaling-service", NetworkPolicy.class)
                        .getSpec()
                        .getEgress()
                        .stream()
                        .filter(rule -> rule.getPorts().stream()
                                .anyMatch(p -> p.getPort().getIntVal() == 6443))
                        .toList();
        assertThat(api).singleElement().satisfies(rule -> assertThat(rule.getTo())
                .extracting(peer -> peer.getIpBlock().getCidr())
                .containsExactly("10.0.0.1/32"));
        assertThat(egressPorts(find(pinned, "NetworkPolicy", "vb-signaling-service", NetworkPolicy.class)))
                .as("signaling talks to nothing else on 443")
                .containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/443", "TCP/6443");
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
