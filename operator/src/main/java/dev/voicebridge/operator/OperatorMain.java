package dev.voicebridge.operator;

import dev.voicebridge.operator.config.OperatorConfig;
import dev.voicebridge.operator.observe.OperatorTelemetry;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;

/**
 * Entry point: configuration from the environment, the Kubernetes client from the standard
 * kubeconfig or in-cluster service account, OpenTelemetry from the {@code OTEL_*} variables, then
 * run until SIGTERM.
 */
public final class OperatorMain {
    private OperatorMain() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        configureLogging();
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

    /**
     * java.util.logging from the {@code logging.properties} on the class path (the line format all
     * services share), unless {@code -Djava.util.logging.config.file} names another file.
     */
    static void configureLogging() throws IOException {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = OperatorMain.class.getResourceAsStream("/logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        }
    }
}
