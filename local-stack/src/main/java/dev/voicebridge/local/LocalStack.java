package dev.voicebridge.local;

import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.api.config.Setting;
import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./voicebridge up}: the whole product on one machine with embedded defaults. An in-memory
 * Kubernetes API (with the CRDs, a namespace, a default agent and one registered media worker),
 * then operator, media worker and signaling-service as separate processes started from their
 * runnable jars. The embedded agent answers unless {@code OPENAI_API_KEY} is set; then the API
 * {@code VOICEBRIDGE_AGENT_API} names does (realtime, the default, or live). Ctrl-C stops
 * the services in reverse order with SIGTERM, so the worker drains and calls end cleanly.
 */
public final class LocalStack {
    /** The settings of the local stack; every one has a default and an environment override. */
    record Settings(
            Path home,
            String namespace,
            int kubePort,
            int signalingPort,
            int operatorPort,
            int workerPort,
            int mediaPort,
            int graphPort,
            String apiToken,
            String appSecret,
            String verifyToken,
            String phoneNumberId,
            Optional<String> openAiKey,
            String agentApi,
            String whatsappToken,
            Optional<String> realGraphUrl,
            String mediaBindAddress,
            String mediaAdvertisedAddress,
            boolean aotCache) {

        static Settings fromEnvironment(Map<String, String> env) {
            return new Settings(
                    Path.of(env.getOrDefault("VOICEBRIDGE_HOME", "."))
                            .toAbsolutePath()
                            .normalize(),
                    env.getOrDefault("VOICEBRIDGE_LOCAL_NAMESPACE", "voicebridge"),
                    Integer.parseInt(env.getOrDefault("VOICEBRIDGE_LOCAL_KUBE_PORT", "16443")),
                    Integer.parseInt(env.getOrDefault("VOICEBRIDGE_LOCAL_SIGNALING_PORT", "8080")),
                    Integer.parseInt(env.getOrDefault("VOICEBRIDGE_LOCAL_OPERATOR_PORT", "8081")),
                    Integer.parseInt(env.getOrDefault("VOICEBRIDGE_LOCAL_WORKER_PORT", "8082")),
                    Integer.parseInt(env.getOrDefault("VOICEBRIDGE_LOCAL_MEDIA_PORT", "10000")),
                    Integer.parseInt(env.getOrDefault("VOICEBRIDGE_LOCAL_GRAPH_PORT", "8083")),
                    env.getOrDefault("VOICEBRIDGE_LOCAL_API_TOKEN", "local-api-token"),
                    env.getOrDefault("VOICEBRIDGE_LOCAL_APP_SECRET", "local-app-secret"),
                    env.getOrDefault("VOICEBRIDGE_LOCAL_VERIFY_TOKEN", "local-verify-token"),
                    env.getOrDefault("VOICEBRIDGE_LOCAL_PHONE_NUMBER_ID", "100000000000001"),
                    Optional.ofNullable(env.get("OPENAI_API_KEY")).filter(k -> !k.isBlank()),
                    agentApi(env.getOrDefault("VOICEBRIDGE_AGENT_API", ModelApis.REALTIME)),
                    env.getOrDefault("VOICEBRIDGE_LOCAL_WHATSAPP_TOKEN", "local-whatsapp-token"),
                    Optional.ofNullable(env.get("VOICEBRIDGE_LOCAL_GRAPH_URL")).filter(u -> !u.isBlank()),
                    env.getOrDefault("VOICEBRIDGE_LOCAL_MEDIA_BIND_ADDRESS", "127.0.0.1"),
                    env.getOrDefault(
                            "VOICEBRIDGE_LOCAL_MEDIA_ADVERTISED_ADDRESS",
                            env.getOrDefault("VOICEBRIDGE_LOCAL_MEDIA_BIND_ADDRESS", "127.0.0.1")),
                    AOT_CACHE.read(env::get));
        }

        static final Setting<Boolean> AOT_CACHE = Setting.bool(
                "VOICEBRIDGE_LOCAL_AOT_CACHE",
                "on",
                "the services record ahead-of-time caches on a first run and load them later (JDK 25+)");

        /** Where the services' ahead-of-time caches are kept ({@link AotCache}). */
        Path aotCacheDirectory() {
            return home.resolve(".local/aot");
        }

        /** Meta's Graph API when VOICEBRIDGE_LOCAL_GRAPH_URL is set, else the local stand-in. */
        String graphUrl() {
            return realGraphUrl.orElse("http://127.0.0.1:" + graphPort);
        }

        private static String agentApi(String value) {
            String api = value.trim();
            if (ModelApis.byName(api).isEmpty()) {
                throw new IllegalArgumentException(
                        "VOICEBRIDGE_AGENT_API must be one of " + ModelApis.names() + ", was '" + value + "'");
            }
            return api;
        }

        Path jar(String module) {
            return home.resolve(module).resolve("target").resolve(module + ".jar");
        }
    }

    static final String WORKER_POD = "media-worker-local";
    /** The in-memory API server logs every request at INFO; held so the level sticks. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    /**
     * Fabric8 warns once per resource type that {@code v1alpha1} is not a stable version: known,
     * and noise on the console. Held so the level sticks.
     */
    private static final java.util.logging.Logger API_VERSION_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils");

    /** The console shows the services' lines, not the Kubernetes client's notices. */
    static void quietClientLogs() {
        API_VERSION_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private LocalStack() {}

    /** The tests' in-memory API, with what kubectl needs of an API server in front of the store. */
    public static InMemoryKubeApi kubeApi(int port) {
        return InMemoryKubeApi.start(port, store -> new KubectlDispatcher(store, java.time.Clock.systemUTC()));
    }

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        quietClientLogs();
        Settings settings = Settings.fromEnvironment(System.getenv());
        PrintStream out = System.out;
        var kube = kubeApi(settings.kubePort());
        Path kubeconfig = kube.writeKubeconfig(settings.home().resolve(".local/kubeconfig"), settings.namespace());
        DefaultAgent.seed(
                kube.client(),
                settings.namespace(),
                settings.phoneNumberId(),
                settings.openAiKey(),
                settings.agentApi(),
                Optional.of(settings.whatsappToken()));
        GraphStandIn graph = settings.realGraphUrl().isPresent()
                ? null
                : GraphStandIn.start(settings.graphPort(), settings.whatsappToken(), out);
        kube.registerWorkerPod(settings.namespace(), WORKER_POD, "127.0.0.1", 20);

        List<ServiceProcess> services = services(settings, kubeconfig, kube.url(), out);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("local-stack-stop").unstarted(() -> {
                    out.println("local     | stopping: signaling-service, media-worker (drains calls), operator");
                    for (ServiceProcess service : services.reversed()) {
                        try {
                            service.stop(Duration.ofSeconds(20));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    kube.close();
                    if (graph != null) {
                        try {
                            graph.close();
                        } catch (java.io.IOException e) {
                            out.println("local     | Graph stand-in: " + e.getMessage());
                        }
                    }
                    stopped.countDown();
                }));

        for (ServiceProcess service : services) {
            service.start();
            if (!service.awaitReady(Duration.ofSeconds(90))) {
                out.println("local     | " + service.name() + " did not become ready (" + service.readiness() + ")");
                System.exit(1);
            }
        }
        out.println(summary(settings, kube.url(), kubeconfig));
        stopped.await();
    }

    static List<ServiceProcess> services(Settings s, Path kubeconfig, String kubeUrl, PrintStream out) {
        Map<String, String> common = Map.of("KUBECONFIG", kubeconfig.toString(), "KUBERNETES_NAMESPACE", s.namespace());
        var operator = new ServiceProcess(
                "operator",
                s.jar("operator"),
                merge(
                        common,
                        Map.of(
                                "VOICEBRIDGE_NAMESPACES",
                                s.namespace(),
                                "VOICEBRIDGE_HTTP_PORT",
                                Integer.toString(s.operatorPort()),
                                "VOICEBRIDGE_LEADER_ELECTION",
                                "false",
                                "VOICEBRIDGE_IDENTITY",
                                "operator-local",
                                // explicit, never inherited: the stand-in, or Meta's Graph API
                                "VOICEBRIDGE_GRAPH_BASE_URL",
                                s.graphUrl())),
                URI.create("http://127.0.0.1:" + s.operatorPort() + "/health/ready"),
                out);
        var worker = new ServiceProcess(
                "worker",
                s.jar("media-worker"),
                merge(
                        common,
                        Map.of(
                                "SERVER_HOST",
                                "127.0.0.1",
                                "SERVER_PORT",
                                Integer.toString(s.workerPort()),
                                "VOICEBRIDGE_WORKER_POD_NAME",
                                WORKER_POD,
                                "VOICEBRIDGE_WORKER_NAMESPACE",
                                s.namespace(),
                                "VOICEBRIDGE_MEDIA_BIND_ADDRESS",
                                s.mediaBindAddress(),
                                "VOICEBRIDGE_MEDIA_PORT",
                                Integer.toString(s.mediaPort()),
                                // a real phone needs an address WhatsApp's media servers reach
                                "VOICEBRIDGE_MEDIA_ADVERTISED_ADDRESS",
                                s.mediaAdvertisedAddress(),
                                // the phones are on loopback, which production denies as a candidate
                                "VOICEBRIDGE_MEDIA_CANDIDATES_DENY_NETWORKS",
                                "169.254.0.0/16,fe80::/10",
                                // fresh figures for kubectl and ./voicebridge call (production: 20 s)
                                "VOICEBRIDGE_WORKER_STATS_INTERVAL",
                                "PT2S")),
                URI.create("http://127.0.0.1:" + s.workerPort() + "/health/ready"),
                out);
        var signaling = new ServiceProcess(
                "signaling",
                s.jar("signaling-service"),
                merge(
                        common,
                        Map.of(
                                "SERVER_HOST", "127.0.0.1",
                                "SERVER_PORT", Integer.toString(s.signalingPort()),
                                "VOICEBRIDGE_NAMESPACE", s.namespace(),
                                "VOICEBRIDGE_KUBERNETES_MASTER_URL", kubeUrl,
                                "VOICEBRIDGE_API_TOKEN", s.apiToken(),
                                "VOICEBRIDGE_WHATSAPP_APP_SECRET", s.appSecret(),
                                "VOICEBRIDGE_WHATSAPP_VERIFY_TOKEN", s.verifyToken(),
                                "VOICEBRIDGE_SOFTPHONE_ENABLED", "true")),
                URI.create("http://127.0.0.1:" + s.signalingPort() + "/health/ready"),
                out);
        var services = List.of(operator, worker, signaling);
        if (s.aotCache()) {
            services.forEach(service -> service.withAotCache(s.aotCacheDirectory()));
        }
        return services;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        var merged = new java.util.HashMap<>(a);
        merged.putAll(b);
        return merged;
    }

    static String summary(Settings s, String kubeUrl, Path kubeconfig) {
        String agent = s.openAiKey().isPresent()
                ? (s.agentApi().equals(ModelApis.LIVE) ? "OpenAI GPT-Live" : "OpenAI Realtime API") + " on "
                        + ModelApis.byName(s.agentApi()).orElseThrow().defaultModel()
                        + " (OPENAI_API_KEY is set; VOICEBRIDGE_AGENT_API=" + s.agentApi() + ")"
                : "embedded echo agent (no OPENAI_API_KEY)";
        return """

                voicebridge local stack is up
                  Kubernetes API   %s   (KUBECONFIG=%s kubectl get vc)
                  signaling        http://127.0.0.1:%d   webhook /webhooks/whatsapp, call API /v1/calls, /openapi
                  operator         http://127.0.0.1:%d   /health/ready, /metrics
                  media worker     http://127.0.0.1:%d   (media on udp %s:%d)
                  agent            %s
                  API token        %s   (Authorization: Bearer …)
                  app secret       %s   (signs webhooks: X-Hub-Signature-256)
                  phone-number id  %s   (answered by VoiceAgent "default")
                  Graph API        %s   (WhatsApp access token in Secret "whatsapp"; business-initiated calls too)

                Talk to the agent from a browser:  http://127.0.0.1:%d/softphone#token=%s&agent=default
                Place a call from another terminal:  ./voicebridge call
                  the way WhatsApp does (signed webhooks, pre_accept/accept):  ./voicebridge call --whatsapp
                Let the agent call a (synthetic) WhatsApp user:  ./voicebridge call --outbound
                Stop with Ctrl-C (calls end cleanly).
                """.formatted(
                        kubeUrl,
                        kubeconfig,
                        s.signalingPort(),
                        s.operatorPort(),
                        s.workerPort(),
                        s.mediaAdvertisedAddress(),
                        s.mediaPort(),
                        agent,
                        s.apiToken(),
                        s.appSecret(),
                        s.phoneNumberId(),
                        s.realGraphUrl().isPresent() ? s.graphUrl() : s.graphUrl() + " (local stand-in)",
                        s.signalingPort(),
                        s.apiToken());
    }
}
