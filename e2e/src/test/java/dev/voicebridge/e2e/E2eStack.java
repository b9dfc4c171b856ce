package dev.voicebridge.e2e;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.v1alpha1.Greeting;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.local.LocalStack;
import dev.voicebridge.local.ServiceProcess;
import dev.voicebridge.testkit.graph.FakeGraphApi;
import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.testkit.realtime.FakeRealtimeServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The product as it runs in a cluster, on one machine inside the test network namespace: the
 * in-memory Kubernetes API in this JVM; operator, signaling-service and two media workers as
 * processes started from their runnable jars and configured only through their environment
 * variables; the fake Graph API playing WhatsApp (a pre_accept hands our answer to the call's
 * phone, as WhatsApp hands it to the handset) and the fake realtime service as the model.
 * Workers bind their media to the namespace's 10.77.0.1 on their own ports; phones use 10.77.0.2.
 */
final class E2eStack implements AutoCloseable {
    static final String NS = "e2e";
    static final String PHONE_NUMBER_ID = "518638374672395";
    static final String APP_SECRET = "e2e-app-secret";
    static final String API_TOKEN = "e2e-api-token";
    static final String GRAPH_TOKEN = "e2e-graph-token";
    static final String OPENAI_KEY = "sk-e2e-test";
    static final String E2E_FINALIZER = "e2e.voicebridge.dev/hold";
    static final String WORKER_ADDRESS = TestNetwork.WORKER;
    static final String PHONE_ADDRESS = TestNetwork.PHONE;
    static final List<String> WORKERS = List.of("worker-a", "worker-b");

    final InMemoryKubeApi kube;
    final FakeGraphApi graph;
    final FakeRealtimeServer realtime;
    final PhoneHost phones;
    final URI signaling;
    private final Path home;
    private final Path logs;
    private final Path kubeconfig;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Integer> workerPorts = new HashMap<>();
    private final Map<String, Integer> workerHttpPorts = new HashMap<>();
    private final Map<String, PrintStream> logStreams = new HashMap<>();
    private final Set<String> started = new HashSet<>();
    /** Phones by WhatsApp call id, so the fake Graph API can hand each its answer. */
    private final Map<String, SyntheticPhone> phonesByCallId = new ConcurrentHashMap<>();

    /** Calls whose phone gets its answer only on {@link #release}: a handset slow to set up media. */
    private final java.util.Set<String> held = ConcurrentHashMap.newKeySet();

    private final Map<String, String> heldAnswers = new ConcurrentHashMap<>();

    /**
     * The in-memory API server logs every request at INFO: thousands of lines into the test
     * JVM's output, which costs the phones in the same JVM their timing under load. Held here so
     * the level stays.
     */
    private static final java.util.logging.Logger API_REQUEST_LOG = quiet("io.fabric8.mockwebserver");

    private final int operatorPort;
    private final int signalingPort;
    private final Options options;

    /**
     * Calls the benchmarks run through the in-memory API server before the services start
     * ({@code -Dbench.apiWarmUpCalls}, 0 = none).
     */
    static final int API_WARM_UP_CALLS = 500;

    /** Where they run: no service watches it. */
    static final String API_WARM_UP_NAMESPACE = "api-warm-up";

    /**
     * What differs between stacks: the workers (pod names), the capacity each registers, the
     * environment every worker gets beyond its addresses and ports, what the operator and
     * signaling get beyond theirs, how many calls warm the in-memory API server first, and where
     * the services' ahead-of-time caches are kept (none: the services start without, as the
     * images do).
     */
    record Options(
            List<String> workers,
            int workerCapacity,
            Map<String, String> workerEnvironment,
            Map<String, String> controlPlaneEnvironment,
            int apiWarmUpCalls,
            Optional<Path> aotCaches) {
        /** Two workers with fresh figures every 2 s and a short drain, ICE's log at INFO. */
        static Options e2e() throws IOException {
            return new Options(
                    WORKERS,
                    25,
                    Map.of(
                            "VOICEBRIDGE_WORKER_STATS_INTERVAL", "PT2S",
                            "VOICEBRIDGE_WORKER_DRAIN_TIMEOUT", "PT5S",
                            "JDK_JAVA_OPTIONS", "-Djava.util.logging.config.file=" + workerLogging()),
                    Map.of(),
                    0,
                    Optional.empty());
        }

        /**
         * One worker of {@code capacity} run with {@code workerJvm}, the operator and signaling
         * with {@code controlPlaneJvm} (blank: the JVM's defaults; {@code {service}} in it becomes
         * the service's name, e.g. for a file per service): the benchmarks' stack. The in-memory API
         * server (this JVM's) is warmed before the services start ({@link InMemoryKubeApi#warmUp}),
         * so that a first call after start measures the services' cold start, not the harness's.
         * With {@code -Dbench.aotCaches=DIR} the services run with ahead-of-time caches kept there,
         * as the local stack does: a first run records them, later runs load them.
         */
        static Options benchmark(String worker, int capacity, String workerJvm, String controlPlaneJvm) {
            return new Options(
                    List.of(worker),
                    capacity,
                    Map.of("JDK_JAVA_OPTIONS", workerJvm),
                    controlPlaneJvm.isBlank() ? Map.of() : Map.of("JDK_JAVA_OPTIONS", controlPlaneJvm),
                    Integer.getInteger("bench.apiWarmUpCalls", API_WARM_UP_CALLS),
                    Optional.ofNullable(System.getProperty("bench.aotCaches"))
                            .filter(dir -> !dir.isBlank())
                            .map(Path::of));
        }
    }

    E2eStack(String testClass) throws Exception {
        this(testClass, Options.e2e());
    }

    E2eStack(String testClass, Options options) throws Exception {
        this.options = options;
        home = Path.of(System.getProperty("voicebridge.home", ".."))
                .toAbsolutePath()
                .normalize();
        logs = Path.of(System.getProperty("e2e.logs", "target/e2e-logs")).resolve(testClass);
        Files.createDirectories(logs);
        kube = LocalStack.kubeApi(0);
        kubeconfig = kube.writeKubeconfig(logs.resolve("kubeconfig"), NS);
        graph = FakeGraphApi.start(GRAPH_TOKEN);
        graph.addListener((phoneNumberId, callId, action, sdp) -> {
            SyntheticPhone phone = phonesByCallId.get(callId);
            if (phone != null && action.equals("pre_accept")) {
                if (held.contains(callId)) {
                    heldAnswers.put(callId, sdp);
                } else {
                    phone.acceptAnswer(sdp);
                }
            }
        });
        realtime = FakeRealtimeServer.start(OPENAI_KEY);
        phones = PhoneHost.start();
        seed();
        if (options.apiWarmUpCalls() > 0) {
            kube.warmUp(API_WARM_UP_NAMESPACE, options.apiWarmUpCalls());
        }
        operatorPort = freePort();
        signalingPort = freePort();
        signaling = URI.create("http://127.0.0.1:" + signalingPort);
        int mediaPort = 10_001;
        for (String worker : options.workers()) {
            kube.registerWorkerPod(NS, worker, WORKER_ADDRESS, options.workerCapacity());
            workerPorts.put(worker, mediaPort++);
        }
        services.put("operator", operator());
        for (String worker : options.workers()) {
            services.put(worker, worker(worker));
        }
        services.put("signaling", signalingService());
        for (ServiceProcess service : services.values()) {
            service.start();
        }
        for (ServiceProcess service : services.values()) {
            if (!service.awaitReady(Duration.ofSeconds(120))) {
                throw new IllegalStateException(
                        service.name() + " did not become ready; see " + logs.resolve(service.name() + ".log"));
            }
        }
    }

    private void seed() {
        var client = kube.client();
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("agent-keys")
                        .withNamespace(NS)
                        .endMetadata()
                        // data, as an API server returns a Secret (stringData is write-only).
                        .withData(Map.of("openai", base64(OPENAI_KEY), "whatsapp", base64(GRAPH_TOKEN)))
                        .build())
                .create();
        var spec = new VoiceAgentSpec();
        spec.setPhoneNumberIds(List.of(PHONE_NUMBER_ID));
        spec.setModel("gpt-realtime-2.1");
        spec.setVoice("marin");
        spec.setInstructions("You are the end-to-end test agent.");
        var greeting = new Greeting();
        greeting.setInstructions("Greet the caller.");
        spec.setGreeting(greeting);
        spec.setOpenaiApiKeySecret(ref("agent-keys", "openai"));
        spec.setWhatsappAccessTokenSecret(ref("agent-keys", "whatsapp"));
        var agent = new VoiceAgent(spec);
        agent.getMetadata().setName("default");
        agent.getMetadata().setNamespace(NS);
        client.resource(agent).create();
    }

    private ServiceProcess operator() throws IOException {
        return process(
                "operator",
                "operator",
                Map.of(
                        "VOICEBRIDGE_NAMESPACES",
                        NS,
                        "VOICEBRIDGE_HTTP_PORT",
                        Integer.toString(operatorPort),
                        "VOICEBRIDGE_LEADER_ELECTION",
                        "false",
                        "VOICEBRIDGE_IDENTITY",
                        "operator-e2e",
                        "VOICEBRIDGE_GRAPH_BASE_URL",
                        graph.baseUri().toString(),
                        "VOICEBRIDGE_WORKER_LOST_GRACE",
                        "2s",
                        "VOICEBRIDGE_RING_TIMEOUT",
                        "8s"),
                URI.create("http://127.0.0.1:" + operatorPort + "/health/ready"));
    }

    private ServiceProcess worker(String pod) throws IOException {
        int httpPort = freePort();
        var env = new HashMap<>(options.workerEnvironment());
        env.putAll(Map.of(
                "SERVER_HOST",
                "127.0.0.1",
                "SERVER_PORT",
                Integer.toString(httpPort),
                "VOICEBRIDGE_WORKER_POD_NAME",
                pod,
                "VOICEBRIDGE_WORKER_NAMESPACE",
                NS,
                "VOICEBRIDGE_MEDIA_BIND_ADDRESS",
                WORKER_ADDRESS,
                "VOICEBRIDGE_MEDIA_PORT",
                Integer.toString(workerPorts.get(pod)),
                "VOICEBRIDGE_REALTIME_BASE_URL",
                realtime.baseUri().toString()));
        workerHttpPorts.put(pod, httpPort);
        return process(pod, "media-worker", env, URI.create("http://127.0.0.1:" + httpPort + "/health/ready"));
    }

    private static Path workerLogging() throws IOException {
        try {
            return Path.of(
                    E2eStack.class.getResource("/worker-logging.properties").toURI());
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IOException("worker-logging.properties is missing from the test class path", e);
        }
    }

    private ServiceProcess signalingService() throws IOException {
        return process(
                "signaling",
                "signaling-service",
                Map.of(
                        "SERVER_HOST",
                        "127.0.0.1",
                        "SERVER_PORT",
                        Integer.toString(signalingPort),
                        "VOICEBRIDGE_NAMESPACE",
                        NS,
                        "VOICEBRIDGE_KUBERNETES_MASTER_URL",
                        kube.url(),
                        "VOICEBRIDGE_API_TOKEN",
                        API_TOKEN,
                        "VOICEBRIDGE_WHATSAPP_APP_SECRET",
                        APP_SECRET,
                        "VOICEBRIDGE_WHATSAPP_VERIFY_TOKEN",
                        "e2e-verify"),
                signaling.resolve("/health/ready"));
    }

    private ServiceProcess process(String name, String module, Map<String, String> env, URI ready) throws IOException {
        var all = new HashMap<String, String>();
        if (!module.equals("media-worker")) {
            options.controlPlaneEnvironment().forEach((key, value) -> all.put(key, value.replace("{service}", name)));
        }
        all.putAll(env);
        all.put("KUBECONFIG", kubeconfig.toString());
        all.put("KUBERNETES_NAMESPACE", NS);
        Path jar = home.resolve(module).resolve("target").resolve(module + ".jar");
        // A restarted service appends: the log of the process it replaced is the interesting part.
        var options = started.add(name)
                ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING}
                : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND};
        var out = new PrintStream(
                Files.newOutputStream(logs.resolve(name + ".log"), options), true, StandardCharsets.UTF_8);
        logStreams.put(name, out);
        var service = new ServiceProcess(name, jar, all, ready, out);
        this.options.aotCaches().ifPresent(service::withAotCache);
        return service;
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    /** Names of the service processes: operator, the workers, signaling. */
    List<String> serviceNames() {
        return List.copyOf(services.keySet());
    }

    /** Everything a service process wrote (stdout and stderr), restarts appended. */
    Path log(String service) {
        return logs.resolve(service + ".log");
    }

    /** The operator's health and metrics port (on 127.0.0.1). */
    InetSocketAddress operatorHttp() {
        return new InetSocketAddress("127.0.0.1", operatorPort);
    }

    /** A worker's health and metrics port (on 127.0.0.1). */
    InetSocketAddress workerHttp(String pod) {
        return new InetSocketAddress("127.0.0.1", workerHttpPorts.get(pod));
    }

    /** A worker's shared media port. */
    InetSocketAddress workerMedia(String pod) {
        return new InetSocketAddress(WORKER_ADDRESS, workerPorts.get(pod));
    }

    /** signaling-service's port (on 127.0.0.1). */
    InetSocketAddress signalingHttp() {
        return new InetSocketAddress("127.0.0.1", signalingPort);
    }

    /** Every line the services have logged so far, without the {@code name |} prefix, by service. */
    Map<String, List<String>> serviceLogs() throws IOException {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        for (String name : services.keySet()) {
            Path file = logs.resolve(name + ".log");
            if (Files.exists(file)) {
                lines.put(
                        name,
                        Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                                .map(l -> l.replaceFirst("^[^|]*\\| ", ""))
                                .toList());
            }
        }
        return lines;
    }

    /** A WhatsApp-like phone on the namespace's phone address, answering for {@code callId}. */
    SyntheticPhone phone(String callId, PhoneOptions options) throws IOException {
        SyntheticPhone phone = phones.newPhone(new InetSocketAddress(PHONE_ADDRESS, 0), options);
        phonesByCallId.put(callId, phone);
        return phone;
    }

    /** The phone of {@code callId} will not get the answer from pre_accept until released. */
    void hold(String callId) {
        held.add(callId);
    }

    /** Hands a held call's phone the answer WhatsApp got in pre_accept. */
    void release(String callId) {
        held.remove(callId);
        String sdp = heldAnswers.remove(callId);
        if (sdp == null) {
            throw new IllegalStateException("no pre_accept seen for " + callId);
        }
        phonesByCallId.get(callId).acceptAnswer(sdp);
    }

    /**
     * A second agent without a model key: the embedded echo agent answers its calls — those of
     * the call API that name it, and WhatsApp's to {@code phoneNumberIds}.
     */
    void addEchoAgent(String name, String... phoneNumberIds) {
        var spec = new VoiceAgentSpec();
        if (phoneNumberIds.length > 0) {
            spec.setPhoneNumberIds(List.of(phoneNumberIds));
        }
        spec.setModel("gpt-realtime-2.1");
        spec.setVoice("marin");
        spec.setInstructions("echo");
        spec.setWhatsappAccessTokenSecret(ref("agent-keys", "whatsapp"));
        var agent = new VoiceAgent(spec);
        agent.getMetadata().setName(name);
        agent.getMetadata().setNamespace(NS);
        kube.client().resource(agent).create();
    }

    VoiceCall call(String callId) {
        return kube.client()
                .resources(VoiceCall.class)
                .inNamespace(NS)
                .withName(CallNames.forCallId(callId))
                .get();
    }

    /**
     * What Kubernetes does to a worker's Pod before the SIGTERM of a graceful deletion: the API
     * server sets the deletion timestamp to the end of the grace period, the kubelet's readiness
     * probe then fails. (A finalizer keeps the in-memory API from removing the Pod at once.)
     */
    void markWorkerPodDeleted(String pod, Duration grace) {
        var resource = kube.client().pods().inNamespace(NS).withName(pod);
        resource.edit(p -> new PodBuilder(p)
                .editMetadata()
                .addToFinalizers(E2E_FINALIZER)
                .endMetadata()
                .build());
        resource.delete();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        resource.patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"deletionTimestamp\":\"" + now.plus(grace)
                        + "\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
                        + "\"lastTransitionTime\":\"" + now + "\"}]}}");
    }

    /** Stops a service process with SIGTERM, as Kubernetes stops a pod. */
    void stop(String name) throws InterruptedException {
        services.get(name).stop(Duration.ofSeconds(20));
    }

    /** Starts a stopped service again: the same jar and environment, a new process. */
    void start(String name) throws Exception {
        ServiceProcess service = services.get(name);
        service.start();
        if (!service.awaitReady(Duration.ofSeconds(120))) {
            throw new IllegalStateException(name + " did not become ready after its restart");
        }
    }

    /** The call's status without the SDP, for failure messages. */
    String describe(String callId) {
        VoiceCall call = call(callId);
        if (call == null || call.getStatus() == null) {
            return callId + ": " + (call == null ? "no such VoiceCall" : "no status");
        }
        var status = call.getStatus();
        String media = status.getMedia() == null
                ? "-"
                : "ice " + status.getMedia().getIceState() + ", dtls "
                        + status.getMedia().getDtlsState();
        return callId + ": phase " + status.getPhase() + ", whatsapp "
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(status.getWhatsapp()) + ", media " + media
                + ", end " + io.fabric8.kubernetes.client.utils.Serialization.asJson(status.getEnd());
    }

    /** A worker node dies: its process is killed and its Pod deleted, as Kubernetes would. */
    void killWorker(String pod) throws InterruptedException {
        services.get(pod).kill();
        kube.client().pods().inNamespace(NS).withName(pod).delete();
    }

    @Override
    public void close() {
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        for (ServiceProcess service : reversed) {
            try {
                service.stop(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        logStreams.values().forEach(PrintStream::close);
        phones.close();
        realtime.close();
        graph.close();
        kube.close();
    }

    private static SecretKeyRef ref(String name, String key) {
        var ref = new SecretKeyRef();
        ref.setName(name);
        ref.setKey(key);
        return ref;
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static java.util.logging.Logger quiet(String name) {
        var logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
