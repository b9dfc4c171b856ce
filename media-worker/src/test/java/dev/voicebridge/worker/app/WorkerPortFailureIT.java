package dev.voicebridge.worker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.worker.transport.SharedUdpPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.microprofile.testing.junit5.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import java.lang.reflect.Method;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 defect 1, the second half: a media port that dies is fatal and loud. The worker's
 * socket is closed under it (the defect closed it with an interrupt of a thread blocked in it; the
 * socket is non-blocking now, which an interrupt no longer closes: first that is shown, then the
 * socket is closed directly) and the worker says so: one SEVERE line, readiness false (the
 * operator places no call on a pod that is not Ready), and the port-failed metric at 1.
 */
@HelidonTest
@AddConfig(key = "server.host", value = "127.0.0.1")
@AddConfig(key = "voicebridge.worker.pod-name", value = "media-worker-9")
@AddConfig(key = "voicebridge.worker.namespace", value = WorkerPortFailureIT.NS)
@AddConfig(key = "voicebridge.media.bind-address", value = TestNetwork.WORKER)
@AddConfig(key = "voicebridge.media.port", value = "0")
@Timeout(60)
class WorkerPortFailureIT {
    static final String NS = "calls";
    /** Started before the CDI container, which reads the API server's address at start-up. */
    static final InMemoryKubeApi API = InMemoryKubeApi.start(0).asDefaultCluster(NS);

    static KubernetesClient client;

    @Inject
    WebTarget target;

    @Inject
    WorkerState state;

    @Inject
    WorkerRuntime runtime;

    @BeforeAll
    static void install() {
        TestNetwork.requireNamespace();
        client = API.client();
    }

    @AfterAll
    static void stop() {
        API.close();
    }

    @Test
    void aClosedMediaPortMakesTheWorkerNotReadyLoudlyAndOnce() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(state::isReady);
        assertThat(target.path("/health/ready").request().get().getStatus()).isEqualTo(200);
        assertThat(target.path("/metrics").request().get(String.class))
                .containsPattern("(?m)^voicebridge_worker_media_port_failed(\\{[^}]*})? 0")
                .containsPattern("(?m)^voicebridge_worker_media_port_legs(\\{[^}]*})? 0");

        var severe = new CopyOnWriteArrayList<LogRecord>();
        Logger root = Logger.getLogger("");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel() == Level.SEVERE) {
                    severe.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        root.addHandler(capture);
        try {
            Thread receiver = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("udp-recv-"))
                    .findFirst()
                    .orElseThrow();
            receiver.interrupt(); // closed the blocking socket once; the non-blocking one stays
            await().pollDelay(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> true);
            assertThat(state.isReady()).isTrue();
            assertThat(severe).isEmpty();

            Method channel = SharedUdpPort.class.getDeclaredMethod("channel");
            channel.setAccessible(true);
            ((DatagramChannel) channel.invoke(runtime.media().port())).close();

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> target.path("/health/ready").request().get().getStatus() == 503);
            assertThat(state.isReady()).isFalse();
            assertThat(target.path("/health/ready").request().get().readEntity(String.class))
                    .contains("media port");
            assertThat(target.path("/metrics").request().get(String.class))
                    .containsPattern("(?m)^voicebridge_worker_media_port_failed(\\{[^}]*})? 1");
            await().atMost(Duration.ofSeconds(5)).until(() -> !severe.isEmpty());
            assertThat(severe).hasSize(1);
            assertThat(severe.getFirst().getMessage())
                    .contains("event=media-port.failed")
                    .contains("it reports not ready");
        } finally {
            root.removeHandler(capture);
        }
    }
}
