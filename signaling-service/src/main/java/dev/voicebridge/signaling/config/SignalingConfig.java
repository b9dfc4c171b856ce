package dev.voicebridge.signaling.config;

import java.time.Duration;
import java.util.List;

/**
 * The service's whole configuration, typed. Built once by {@link ConfigProducer}. Holds no secret
 * in clear besides the webhook's two (they are needed as keys): call-API tokens are kept as
 * SHA-256 digests inside {@link ApiClient}.
 */
public record SignalingConfig(
        String namespace,
        SecretValue appSecret,
        SecretValue verifyToken,
        List<ApiClient> apiClients,
        int webhookMaxBodyBytes,
        Duration staleEventAge,
        String defaultAgent,
        int apiMaxBodyBytes,
        Duration answerWait,
        int retryAfterSeconds,
        Kubernetes kubernetes,
        Telemetry telemetry,
        Graph graph) {

    public SignalingConfig {
        apiClients = List.copyOf(apiClients);
    }

    public record Kubernetes(
            String masterUrl, int requestTimeoutMillis, int connectionTimeoutMillis, boolean trustCertificates) {}

    public record Telemetry(String otlpEndpoint, String serviceName) {}

    /**
     * The Graph API, for downloading WhatsApp's recordings and transcripts on request; an empty
     * token disables downloads (503 media-download-disabled).
     */
    public record Graph(SecretValue accessToken, String baseUrl, String version) {}
}
