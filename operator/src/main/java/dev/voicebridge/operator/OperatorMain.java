package dev.voicebridge.operator;

import dev.voicebridge.operator.config.OperatorConfig;
import dev.voicebridge.operator.observe.OperatorTelemetry;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point: configuration from the environment, the Kubernetes client from the standard
 * kubeconfig or in-cluster service account, OpenTelemetry from the {@code OTEL_*} variables, then
 * run until SIGTERM.
 */
public final class OperatorMain {
    private OperatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        OperatorConfig config = OperatorConfig.fromEnvironment();
        var telemetry = OperatorTelemetry.create(config.otlpEndpoint(), System::getenv);
        var client = new KubernetesClientBuilder().build();
        var operator = new VoiceBridgeOperator(config, client, Clock.systemUTC(), telemetry);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("operator-shutdown").unstarted(() -> {
                    operator.close();
                    // After the drain: the last reconciliations' spans are exported, then the SDK stops.
                    telemetry.close();
                    client.close();
                    stopped.countDown();
                }));
        operator.start();
        stopped.await();
    }
}
