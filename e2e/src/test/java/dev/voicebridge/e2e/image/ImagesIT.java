package dev.voicebridge.e2e.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.local.DefaultAgent;
import dev.voicebridge.local.LocalStack;
import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import dev.voicebridge.testkit.net.TestNetwork;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The images the build produced (target/jib-image.tar of each service), started from their
 * unpacked layers as Kubernetes would start them with the chart's settings (read-only root, /tmp
 * an emptyDir, numeric non-root user, the image's entrypoint and environment), in a private
 * network namespace with a loopback Kubernetes API: the in-memory API of the local stack, with the
 * CRDs. Leader election is off for the operator here only because that API cannot answer the
 * SelfSubjectRulesReview JOSDK sends first (docs/operator.md).
 */
class ImagesIT {
    static final Path HOME = Path.of(System.getProperty("voicebridge.home", ".."));
    static final Path WORK = Path.of(System.getProperty("images.work", "target/images"));
    static final List<String> COMPONENTS = List.of("signaling-service", "operator", "media-worker");
    static final String NAMESPACE = "voicebridge";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static final Map<String, OciImage> IMAGES = new LinkedHashMap<>();
    static InMemoryKubeApi kube;
    static Path config;
    final List<Container> running = new ArrayList<>();

    @BeforeAll
    static void unpack() throws Exception {
        assumeFalse(Boolean.getBoolean("images.skip"), "images not built (-Dimages.skip)");
        OciImage.run(List.of("rm", "-rf", WORK.toString()));
        for (String component : COMPONENTS) {
            Path tar = HOME.resolve(component).resolve("target/jib-image.tar");
            assertThat(tar).as("built by the package phase of " + component).exists();
            OciImage image = OciImage.read(tar, WORK.resolve(component).resolve("layout"));
            image.unpack(WORK.resolve(component).resolve("rootfs"), WORK.resolve("layers"));
            IMAGES.put(component, image);
        }
        kube = LocalStack.kubeApi(0);
        DefaultAgent.seed(kube.client(), NAMESPACE, "100000000000001", Optional.empty(), ModelApis.REALTIME);
        config = WORK.resolve("config");
        kube.writeKubeconfig(config.resolve("kubeconfig"), NAMESPACE);
        Path secrets = WORK.resolve("secrets");
        Files.createDirectories(secrets.resolve("whatsapp"));
        Files.createDirectories(secrets.resolve("call-api"));
        Files.writeString(secrets.resolve("whatsapp/app-secret"), "image-app-secret");
        Files.writeString(secrets.resolve("whatsapp/verify-token"), "image-verify-token");
        Files.writeString(secrets.resolve("call-api/api-token"), "image-api-token");
    }

    @AfterAll
    static void stopApi() {
        if (kube != null) {
            kube.close();
        }
    }

    @AfterEach
    void stopContainers() {
        running.forEach(Container::close);
    }

    @Test
    void eachImageIsNamedAsTheChartRendersIt() throws IOException {
        JsonNode chart =
                YAML.readTree(HOME.resolve("helm/voicebridge/Chart.yaml").toFile());
        JsonNode values =
                YAML.readTree(HOME.resolve("helm/voicebridge/values.yaml").toFile());
        String version = System.getProperty("project.version");
        assertThat(chart.path("appVersion").asText()).isEqualTo(version);
        assertThat(values.path("image").path("tag").asText())
                .as("empty: the chart's appVersion")
                .isEmpty();
        String registry = values.path("image").path("registry").asText();
        IMAGES.forEach((component, image) -> assertThat(image.reference())
                .isEqualTo(registry + "/" + component + ":"
                        + chart.path("appVersion").asText()));
    }

    @Test
    void theImagesShareOneBaseLayerRunAsANumericUserAndCarryNoShell() throws IOException {
        var bases = IMAGES.values().stream()
                .map(i -> i.layers().get(0).digest())
                .distinct()
                .toList();
        assertThat(bases).as("one base layer, stored once in a registry").hasSize(1);
        for (var entry : IMAGES.entrySet()) {
            OciImage.Config c = entry.getValue().config();
            assertThat(c.user()).as(entry.getKey()).isEqualTo("10001:10001");
            assertThat(c.entrypoint())
                    .as(entry.getKey())
                    .startsWith("java")
                    .contains(
                            "-XX:MaxRAMPercentage=75",
                            "--enable-native-access=ALL-UNNAMED",
                            "-XX:+ExitOnOutOfMemoryError");
            if (entry.getKey().equals("media-worker")) {
                // The collector is chosen: ergonomics would pick the serial one under a 1 GiB limit.
                assertThat(c.entrypoint()).as(entry.getKey()).contains("-XX:+UseG1GC");
            }
            assertThat(c.labels())
                    .containsEntry("org.opencontainers.image.version", System.getProperty("project.version"));
            Path rootfs = WORK.resolve(entry.getKey()).resolve("rootfs");
            try (Stream<Path> files = Files.walk(rootfs)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("no shell, no package manager in " + entry.getKey())
                        .doesNotContain("sh", "bash", "dash", "busybox", "apt", "dpkg");
            }
            assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("voicebridge:x:10001:10001:");
        }
    }

    /**
     * The three images together answer a call: operator, media worker and signaling-service each
     * from its image, a WhatsApp-like phone calls through the call API, media connects (ICE,
     * DTLS-SRTP with OpenSSL's AES, Opus: the natives the worker extracts into /tmp) and the
     * embedded echo agent's answer comes back as audio.
     */
    @Test
    void theThreeImagesStartAsKubernetesWouldAndAnswerACall() throws Exception {
        kube.registerWorkerPod(NAMESPACE, "media-worker-image", TestNetwork.WORKER, 10);
        Container operator = start(
                "operator",
                Map.of(
                        "VOICEBRIDGE_NAMESPACES", NAMESPACE,
                        "VOICEBRIDGE_HTTP_HOST", "127.0.0.1",
                        "VOICEBRIDGE_HTTP_PORT", "8081",
                        "VOICEBRIDGE_LEADER_ELECTION", "false",
                        "VOICEBRIDGE_IDENTITY", "operator-image"),
                Optional.empty(),
                Map.of());
        Container worker = start(
                "media-worker",
                Map.of(
                        "SERVER_HOST", "127.0.0.1",
                        "SERVER_PORT", "8082",
                        "VOICEBRIDGE_WORKER_POD_NAME", "media-worker-image",
                        "VOICEBRIDGE_WORKER_NAMESPACE", NAMESPACE,
                        "VOICEBRIDGE_MEDIA_BIND_ADDRESS", "0.0.0.0",
                        "VOICEBRIDGE_MEDIA_PORT", "10000",
                        "VOICEBRIDGE_MEDIA_ADVERTISED_ADDRESS", TestNetwork.WORKER),
                Optional.empty(),
                Map.of());
        Container signaling = start(
                "signaling-service",
                Map.of(
                        "SERVER_PORT", "8080",
                        "VOICEBRIDGE_NAMESPACE", NAMESPACE,
                        "VOICEBRIDGE_WHATSAPP_APP_SECRET_FILE", "/var/run/secrets/voicebridge/whatsapp/app-secret",
                        "VOICEBRIDGE_WHATSAPP_VERIFY_TOKEN_FILE", "/var/run/secrets/voicebridge/whatsapp/verify-token",
                        "VOICEBRIDGE_API_TOKEN_FILE", "/var/run/secrets/voicebridge/call-api/api-token"),
                Optional.empty(),
                Map.of(
                        "/var/run/secrets/voicebridge/whatsapp", WORK.resolve("secrets/whatsapp"),
                        "/var/run/secrets/voicebridge/call-api", WORK.resolve("secrets/call-api")));
        awaitReady(operator, "http://127.0.0.1:8081/health/ready");
        awaitReady(worker, "http://127.0.0.1:8082/health/ready");
        awaitReady(signaling, "http://127.0.0.1:8080/health/ready");
        for (Container c : List.of(operator, worker, signaling)) {
            assertThat(c.rootMountOptions())
                    .as(c.name() + ": read-only root filesystem")
                    .startsWith("ro");
        }
        assertThat(get("http://127.0.0.1:8081/metrics").body()).contains("voicebridge_reconciliations_total");
        assertThat(get("http://127.0.0.1:8082/metrics").body()).contains("voicebridge_worker_calls_active");
        // The mounted Secret files are read: Meta's subscription check is answered with its challenge.
        var verify = get("http://127.0.0.1:8080/webhooks/whatsapp?hub.mode=subscribe"
                + "&hub.verify_token=image-verify-token&hub.challenge=1158201444");
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat(verify.body()).isEqualTo("1158201444");

        // The chart's `helm test` hook: the operator image with the install check as its command.
        var check = installCheck("http://127.0.0.1:8080");
        assertThat(check.await(Duration.ofSeconds(90))).as(check.log()).isZero();
        assertThat(check.log()).contains("voicecalls.voicebridge.dev", "voiceagents.voicebridge.dev", "ready");
        var refused = installCheck("http://127.0.0.1:8099");
        assertThat(refused.await(Duration.ofSeconds(90))).as(refused.log()).isEqualTo(1);
        assertThat(refused.log()).contains("FAIL signaling-service is not ready");

        ImageCall.answered(URI.create("http://127.0.0.1:8080"), "image-api-token", "100000000000001");
        // The natives the call needed are loaded: OpenSSL's libcrypto from the base image (SRTP's AES),
        // and three libraries JNA unpacked into /tmp/jna (the emptyDir) as jna<n>.tmp: its own
        // dispatcher, jitsi-srtp's and libjitsi's Opus.
        String mapped = worker.mappedFiles();
        assertThat(mapped).contains("/usr/lib/x86_64-linux-gnu/libcrypto.so.3");
        assertThat(java.util.regex.Pattern.compile("/tmp/jna/jna\\d+\\.tmp")
                        .matcher(mapped)
                        .results()
                        .map(java.util.regex.MatchResult::group)
                        .distinct())
                .as(mapped)
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(WORK.resolve("media-worker/tmp/jna"))
                .as("JNA unpacks the native libraries into jna.tmpdir (the image's flag) and deletes them once loaded")
                .isDirectory();

        for (Container c : List.of(signaling, worker, operator)) {
            assertStopsOnSigterm(c);
        }
    }

    Container start(
            String component, Map<String, String> env, Optional<List<String>> command, Map<String, Path> volumes)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("KUBECONFIG", "/etc/voicebridge-test/kubeconfig");
        Map<String, Path> mounts = new LinkedHashMap<>(volumes);
        mounts.put("/etc/voicebridge-test", config);
        String name = command.isPresent() ? component + "-" + running.size() : component;
        Container container = Container.start(
                name,
                IMAGES.get(component).config(),
                WORK.resolve(component).resolve("rootfs"),
                all,
                command,
                mounts,
                WORK.resolve(name).resolve("tmp"),
                WORK.resolve(name + ".log"));
        running.add(container);
        return container;
    }

    Container installCheck(String signalingUrl) throws IOException {
        return start(
                "operator",
                Map.of(
                        "VOICEBRIDGE_CHECK_SIGNALING_URL", signalingUrl,
                        "VOICEBRIDGE_CHECK_NAMESPACE", NAMESPACE,
                        "VOICEBRIDGE_CHECK_TIMEOUT", "5s"),
                Optional.of(
                        List.of("java", "-cp", "@/app/jib-classpath-file", "dev.voicebridge.operator.InstallCheck")),
                Map.of());
    }

    static void awaitReady(Container container, String url) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(container.alive())
                            .as(container.name() + " exited:\n" + container.log())
                            .isTrue();
                    assertThat(status(url)).as(container.name() + " ready").isEqualTo(200);
                });
    }

    static void assertStopsOnSigterm(Container container) throws Exception {
        int status = container.stop(Duration.ofSeconds(30));
        assertThat(status)
                .as(container.name() + " after SIGTERM:\n" + container.log())
                .isIn(0, 143);
    }

    static int status(String url) {
        try {
            return get(url).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
