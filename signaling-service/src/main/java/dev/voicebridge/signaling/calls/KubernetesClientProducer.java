package dev.voicebridge.signaling.calls;

import dev.voicebridge.signaling.config.SignalingConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one Kubernetes client of the service. With {@code voicebridge.kubernetes.master-url} empty it
 * auto-configures (in-cluster service account, else kubeconfig); with a URL it talks to exactly
 * that API server, which is how tests point it at the Fabric8 mock.
 */
@ApplicationScoped
public class KubernetesClientProducer {

    @Produces
    @Singleton
    KubernetesClient kubernetesClient(SignalingConfig config) {
        return create(config);
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }

    public static KubernetesClient create(SignalingConfig config) {
        var kube = config.kubernetes();
        Config base = kube.masterUrl().isBlank()
                ? Config.autoConfigure(null)
                : new ConfigBuilder(Config.empty())
                        .withMasterUrl(kube.masterUrl())
                        .withTrustCerts(kube.trustCertificates())
                        .build();
        Config effective = new ConfigBuilder(base)
                .withNamespace(config.namespace())
                .withRequestTimeout(kube.requestTimeoutMillis())
                .withConnectionTimeout(kube.connectionTimeoutMillis())
                .build();
        return new KubernetesClientBuilder().withConfig(effective).build();
    }
}
