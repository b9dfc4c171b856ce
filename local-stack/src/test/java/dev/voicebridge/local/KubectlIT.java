package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.Assignment;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl against the local stack's API, over real HTTP: first with the exact requests kubectl
 * v1.32 sends (recorded with {@code kubectl -v=8}: headers, query, protobuf body), so the
 * behaviour is pinned where no kubectl is installed; then with kubectl itself when it is on the
 * PATH.
 */
class KubectlIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "voicebridge";
    /** What {@code kubectl get} sends (get.go transformRequests). */
    private static final String TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,"
            + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    /** What kubectl's typed clients send for built-in kinds. */
    private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

    private static InMemoryKubeApi kube;
    private static HttpClient http;
    private static VoiceCall call;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        kube = LocalStack.kubeApi(0);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        DefaultAgent.seed(kube.client(), NS, "100000000000001", Optional.empty(), "realtime");
        kube.registerWorkerPod(NS, "media-worker-local", "127.0.0.1", 20);
        var spec = new VoiceCallSpec();
        spec.setCallId("wamid-1");
        spec.setCallerDisplay("+44*******123");
        spec.setAgentRef("default");
        var created = new VoiceCall(spec);
        created.getMetadata().setName("wa-call1");
        created.getMetadata().setNamespace(NS);
        created.statusOrNew().setPhase(CallPhase.Assigned);
        var assignment = new Assignment();
        assignment.setWorker("media-worker-local");
        created.getStatus().setAssignment(assignment);
        call = kube.client().resource(created).create();
        call.setStatus(created.getStatus()); // status is a subresource: not stored by create
        call = kube.client().resource(call).updateStatus();
        event(call, "Assigned", "assigned to worker media-worker-local, attempt 1");
        event(
                kube.client()
                        .pods()
                        .inNamespace(NS)
                        .withName("media-worker-local")
                        .get(),
                "Pulled",
                "not a call");
    }

    private static void event(HasMetadata about, String reason, String message) {
        String now = Instant.now().toString();
        kube.client()
                .v1()
                .events()
                .inNamespace(NS)
                .resource(new EventBuilder()
                        .withNewMetadata()
                        .withName(about.getMetadata().getName() + "." + reason.toLowerCase())
                        .endMetadata()
                        .withInvolvedObject(new ObjectReferenceBuilder()
                                .withApiVersion(about.getApiVersion())
                                .withKind(about.getKind())
                                .withName(about.getMetadata().getName())
                                .withNamespace(NS)
                                .withUid(about.getMetadata().getUid())
                                .build())
                        .withReason(reason)
                        .withType("Normal")
                        .withMessage(message)
                        .withFirstTimestamp(now)
                        .withLastTimestamp(now)
                        .withCount(1)
                        .withNewSource()
                        .withComponent("voicebridge-operator")
                        .endSource()
                        .build())
                .create();
    }

    @AfterAll
    static void stop() {
        kube.close();
    }

    @Test
    void kubectlGetReceivesTheCallBoardAsATable() throws Exception {
        var response = send(get("/apis/voicebridge.dev/v1alpha1/namespaces/voicebridge/voicecalls?limit=500")
                .header("Accept", TABLE_ACCEPT));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("application/json;as=Table;v=v1;g=meta.k8s.io");
        JsonNode table = JSON.readTree(response.body());
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.path("columnDefinitions").findValuesAsText("name"))
                .containsExactly("Name", "Phase", "From", "Agent", "Worker", "Duration", "Age", "Reason");
        JsonNode cells = table.at("/rows/0/cells");
        assertThat(cells.get(0).asText()).isEqualTo("wa-call1");
        assertThat(cells.get(1).asText()).isEqualTo("Assigned");
        assertThat(cells.get(4).asText()).isEqualTo("media-worker-local");
        assertThat(cells.get(5).isNull()).as("no duration before the call ends").isTrue();
        assertThat(cells.get(6).asText()).matches("\\d+s");
        assertThat(table.at("/rows/0/object/metadata/uid").asText())
                .isEqualTo(call.getMetadata().getUid());

        // a single object (kubectl get vc NAME), the v1beta1 fallback, and full objects for --sort-by
        JsonNode one = JSON.readTree(
                send(get("/apis/voicebridge.dev/v1alpha1/namespaces/voicebridge/voiceagents/default?includeObject=Object")
                                .header("Accept", "application/json;as=Table;v=v1beta1;g=meta.k8s.io"))
                        .body());
        assertThat(one.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(one.path("rows")).hasSize(1);
        assertThat(one.at("/rows/0/object/spec/api").asText()).isEqualTo("realtime");
        // without the Table media type, the plain list (with the kind a typed client expects)
        JsonNode list = JSON.readTree(send(get("/apis/voicebridge.dev/v1alpha1/namespaces/voicebridge/voicecalls")
                        .header("Accept", "application/json"))
                .body());
        assertThat(list.path("kind").asText()).isEqualTo("VoiceCallList");
        assertThat(list.path("items")).hasSize(1);
    }

    @Test
    void builtInKindsAreTabledLikeAnApiServerDoes() throws Exception {
        JsonNode pods = JSON.readTree(
                send(get("/api/v1/namespaces/voicebridge/pods?limit=500").header("Accept", TABLE_ACCEPT))
                        .body());
        assertThat(pods.path("columnDefinitions").findValuesAsText("name"))
                .startsWith("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node");
        assertThat(pods.at("/rows/0/cells").toString())
                .startsWith("[\"media-worker-local\",\"1/1\",\"Running\",\"0\",");
        JsonNode events = JSON.readTree(
                send(get("/api/v1/namespaces/voicebridge/events?limit=500").header("Accept", TABLE_ACCEPT))
                        .body());
        assertThat(events.path("columnDefinitions").findValuesAsText("name"))
                .startsWith("Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message");
        assertThat(events.path("rows").findValues("cells")).anySatisfy(c -> assertThat(c.toString())
                .contains("\"Assigned\",\"voicecall/wa-call1\",\"\",\"voicebridge-operator\""));
        JsonNode namespaces = JSON.readTree(
                send(get("/api/v1/namespaces").header("Accept", TABLE_ACCEPT)).body());
        assertThat(namespaces.at("/rows/0/cells/1").asText()).isEqualTo("Active");
    }

    /** kubectl describe's Events section: the typed client lists Events by the object's reference. */
    @Test
    void eventsAreFoundByTheFieldSelectorKubectlDescribeSends() throws Exception {
        String selector = "involvedObject.name=wa-call1,involvedObject.namespace=voicebridge,"
                + "involvedObject.kind=VoiceCall,involvedObject.uid="
                + call.getMetadata().getUid();
        var response = send(get("/api/v1/namespaces/voicebridge/events?fieldSelector="
                        + URLEncoder.encode(selector, StandardCharsets.UTF_8) + "&limit=500")
                .header("Accept", PROTOBUF + ",application/json"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode list = JSON.readTree(response.body());
        assertThat(list.path("kind").asText()).isEqualTo("EventList");
        assertThat(list.path("items").findValuesAsText("reason")).containsExactly("Assigned");
        JsonNode others = JSON.readTree(send(get("/api/v1/namespaces/voicebridge/events?fieldSelector="
                                + URLEncoder.encode("involvedObject.kind!=VoiceCall", StandardCharsets.UTF_8))
                        .header("Accept", "application/json"))
                .body());
        assertThat(others.path("items").findValuesAsText("reason")).containsExactly("Pulled");
    }

    /**
     * {@code kubectl get vc --field-selector status.phase=…}: calls carry no phase label, and the
     * CRD's selectable fields let lists select by phase or worker. A field the CRD does not declare
     * is refused as a real API server refuses it, so what works here works on a cluster.
     */
    @Test
    void callsAreSelectedByTheFieldsTheCrdDeclaresSelectable() throws Exception {
        assertThat(callsWhere("status.phase=Assigned")).containsExactly("wa-call1");
        assertThat(callsWhere("status.phase=Connected")).isEmpty();
        assertThat(callsWhere("status.phase!=Connected,status.assignment.worker=media-worker-local"))
                .containsExactly("wa-call1");
        assertThat(callsWhere("metadata.name=wa-call1")).containsExactly("wa-call1");

        var refused = send(get("/apis/voicebridge.dev/v1alpha1/namespaces/voicebridge/voicecalls?fieldSelector="
                        + URLEncoder.encode("status.end.reason=CallerHangup", StandardCharsets.UTF_8))
                .header("Accept", "application/json"));
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode status = JSON.readTree(refused.body());
        assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
        assertThat(status.path("message").asText()).contains("field label not supported: status.end.reason");
    }

    private static List<String> callsWhere(String selector) throws Exception {
        var response = send(get("/apis/voicebridge.dev/v1alpha1/namespaces/voicebridge/voicecalls?fieldSelector="
                        + URLEncoder.encode(selector, StandardCharsets.UTF_8) + "&limit=500")
                .header("Accept", TABLE_ACCEPT));
        assertThat(response.statusCode()).as(selector).isEqualTo(200);
        return JSON.readTree(response.body()).path("rows").findValues("cells").stream()
                .map(cells -> cells.get(0).asText())
                .toList();
    }

    /** kubectl create secret sends protobuf; before, the store never answered it and kubectl hung. */
    @Test
    void kubectlCreateSecretsProtobufBodyCreatesTheSecret() throws Exception {
        var created =
                send(HttpRequest.newBuilder(uri("/api/v1/namespaces/voicebridge/secrets?fieldManager=kubectl-create"
                                + "&fieldValidation=Strict"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", PROTOBUF)
                        .header("Accept", PROTOBUF + ",application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ProtobufObjectsTest.KUBECTL_CREATE_SECRET)));
        assertThat(created.statusCode()).isBetween(200, 201);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
        var secret = kube.client().secrets().inNamespace(NS).withName("foo").get();
        assertThat(secret.getData()).containsExactly(Map.entry("a", "Yg=="));
        assertThat(secret.getType()).isEqualTo("Opaque");

        var refused = send(HttpRequest.newBuilder(uri("/apis/apps/v1/namespaces/voicebridge/deployments"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'k', '8', 's', 0, 0x0a, 0})));
        assertThat(refused.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(refused.body()).path("reason").asText()).isEqualTo("UnsupportedMediaType");

        var protobufOnly =
                send(get("/api/v1/namespaces/voicebridge/secrets/foo").header("Accept", PROTOBUF));
        assertThat(protobufOnly.statusCode()).isEqualTo(406);
    }

    /** The same, with kubectl itself (installed here as the Debian/Cloud SDK package; skipped where absent). */
    @Test
    void withKubectl() throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not installed");
        Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), NS);

        assertThat(kubectl(kubectl.get(), kubeconfig, "get", "vc")
                        .lines()
                        .findFirst()
                        .orElseThrow())
                .matches("NAME +PHASE +FROM +AGENT +WORKER +DURATION +AGE");
        assertThat(kubectl(kubectl.get(), kubeconfig, "get", "vc", "-o", "wide"))
                .contains("REASON");
        assertThat(kubectl(kubectl.get(), kubeconfig, "get", "vc", "--field-selector", "status.phase=Assigned"))
                .contains("wa-call1");
        assertThat(kubectl(kubectl.get(), kubeconfig, "get", "vc", "--field-selector", "status.phase=Connected"))
                .doesNotContain("wa-call1");
        assertThat(kubectl(
                        kubectl.get(),
                        kubeconfig,
                        "create",
                        "secret",
                        "generic",
                        "kubectl-made",
                        "--from-literal=api-key=sk-1"))
                .contains("secret/kubectl-made created");
        assertThat(kube.client()
                        .secrets()
                        .inNamespace(NS)
                        .withName("kubectl-made")
                        .get()
                        .getData())
                .containsEntry("api-key", "c2stMQ==");
        assertThat(kubectl(kubectl.get(), kubeconfig, "get", "events"))
                .contains("voicecall/wa-call1")
                .contains("pod/media-worker-local");
        String described = kubectl(kubectl.get(), kubeconfig, "describe", "vc", "wa-call1");
        assertThat(described).containsPattern("Phase: +Assigned").containsPattern("Worker: +media-worker-local");
        assertThat(described.substring(described.indexOf("Events:")))
                .contains("Assigned")
                .contains("assigned to worker media-worker-local")
                .doesNotContain("not a call");
    }

    private static String kubectl(Path kubectl, Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(kubectl.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("HOME", dir.toString()); // no cache from elsewhere
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("kubectl %s finished", command)
                .isTrue();
        assertThat(process.exitValue()).as("kubectl %s: %s", command, output).isZero();
        return output;
    }

    private static Optional<Path> onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(d, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static URI uri(String path) {
        return URI.create(kube.url() + path);
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
