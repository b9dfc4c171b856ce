package dev.voicebridge.operator;

import dev.voicebridge.api.config.Durations;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * The chart's {@code helm test} hook, run from the operator image (so a test needs no image from
 * elsewhere): the API server serves both CRDs in the release's namespace, and signaling-service
 * reports ready. Prints one line per check; exits 0 when all pass, 1 otherwise.
 *
 * <p>Environment: {@code VOICEBRIDGE_CHECK_SIGNALING_URL} (the signaling Service, e.g.
 * {@code http://vb-signaling-service}), {@code VOICEBRIDGE_CHECK_NAMESPACE} (default: the client's
 * namespace), {@code VOICEBRIDGE_CHECK_TIMEOUT} (how long signaling may take to turn ready,
 * default 60s).
 */
public final class InstallCheck {
    private InstallCheck() {}

    public static void main(String[] args) {
        int status;
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            status = run(System::getenv, client, System.out) ? 0 : 1;
        }
        System.exit(status);
    }

    static boolean run(Function<String, String> env, KubernetesClient client, PrintStream out) {
        String url = env.apply("VOICEBRIDGE_CHECK_SIGNALING_URL");
        if (url == null || url.isBlank()) {
            out.println("FAIL VOICEBRIDGE_CHECK_SIGNALING_URL is not set");
            return false;
        }
        String namespace = orDefault(env.apply("VOICEBRIDGE_CHECK_NAMESPACE"), client.getNamespace());
        Duration timeout = Durations.parse(orDefault(env.apply("VOICEBRIDGE_CHECK_TIMEOUT"), "60s"));
        boolean calls = served(client, VoiceCall.class, namespace, out);
        boolean agents = served(client, VoiceAgent.class, namespace, out);
        boolean signaling = ready(URI.create(url.replaceAll("/+$", "") + "/health/ready"), timeout, out);
        return calls && agents && signaling;
    }

    /**
     * The API server's discovery lists the resource (every authenticated user may read discovery),
     * and this account may list it in the namespace.
     */
    private static boolean served(
            KubernetesClient client, Class<? extends HasMetadata> type, String namespace, PrintStream out) {
        String plural = HasMetadata.getPlural(type);
        String crd = plural + "." + HasMetadata.getGroup(type) + " " + HasMetadata.getVersion(type);
        try {
            var discovery = client.getApiResources(HasMetadata.getApiVersion(type));
            if (discovery == null
                    || discovery.getResources().stream()
                            .noneMatch(r -> r.getName().equals(plural))) {
                out.println("FAIL " + crd + " is not installed (kubectl apply -f the chart's crds/)");
                return false;
            }
            client.resources(type)
                    .inNamespace(namespace)
                    .list(new ListOptionsBuilder().withLimit(1L).build());
            out.println("ok   " + crd + " is served in " + namespace);
            return true;
        } catch (KubernetesClientException e) {
            out.println("FAIL " + crd + " cannot be listed in " + namespace + ": HTTP " + e.getCode());
            return false;
        }
    }

    private static boolean ready(URI uri, Duration timeout, PrintStream out) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (true) {
                try {
                    var response = http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        out.println("ok   signaling-service is ready (" + uri + ")");
                        return true;
                    }
                    last = "HTTP " + response.statusCode();
                } catch (IOException e) {
                    last = e.getClass().getSimpleName();
                }
                if (Instant.now().isAfter(deadline)) {
                    out.println(
                            "FAIL signaling-service is not ready after " + timeout + " (" + uri + ": " + last + ")");
                    return false;
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("FAIL interrupted");
            return false;
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
