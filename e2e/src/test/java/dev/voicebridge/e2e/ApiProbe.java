package dev.voicebridge.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The in-memory API server's own latency while the benchmark runs, so the harness's share of a
 * setup can be told from the product's: every {@code interval} one merge patch of a ConfigMap
 * (one request, addressed by a stub as the services address VoiceCalls), timed request → response,
 * and write → the event at a watch of that ConfigMap. Both ends are in the API server's JVM, so
 * this is the server plus this JVM's scheduling, without any service process.
 */
final class ApiProbe implements AutoCloseable {
    private static final String NAME = "setup-probe";
    private static final String KEY = "writtenNanos";

    private final KubernetesClient client;
    private final Duration interval;
    private final List<Double> writes = new ArrayList<>();
    private final List<Double> events = new ArrayList<>();
    private final Watch watch;
    private final Thread writer;
    private volatile boolean running = true;

    ApiProbe(KubernetesClient client, Duration interval) {
        this.client = client;
        this.interval = interval;
        client.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(NAME)
                        .withNamespace(E2eStack.NS)
                        .endMetadata()
                        .withData(Map.of(KEY, "0"))
                        .build())
                .create();
        watch = client.configMaps().inNamespace(E2eStack.NS).withName(NAME).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                long now = System.nanoTime();
                String written = cm.getData() == null ? null : cm.getData().get(KEY);
                if (action == Action.MODIFIED && written != null && !written.equals("0")) {
                    synchronized (events) {
                        events.add((now - Long.parseLong(written)) / 1e6);
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed by the benchmark
            }
        });
        writer = Thread.ofVirtual().name("api-probe").start(this::run);
    }

    private void run() {
        var stub = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(E2eStack.NS)
                .endMetadata()
                .build();
        var resource = client.configMaps().inNamespace(E2eStack.NS).resource(stub);
        while (running) {
            long start = System.nanoTime();
            try {
                resource.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"" + KEY + "\":\"" + start + "\"}}");
                synchronized (writes) {
                    writes.add((System.nanoTime() - start) / 1e6);
                }
            } catch (RuntimeException e) {
                System.out.println("api probe: " + e);
            }
            SetupBenchmark.pause(interval);
        }
    }

    /** Patch request → response, ms. */
    double[] writeMillis() {
        synchronized (writes) {
            return writes.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /** Patch sent → the watch event here, ms. */
    double[] eventMillis() {
        synchronized (events) {
            return events.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(Duration.ofSeconds(10));
        watch.close();
        // The next level's probe creates it again.
        client.configMaps().inNamespace(E2eStack.NS).withName(NAME).delete();
    }
}
