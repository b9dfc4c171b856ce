package dev.voicebridge.signaling.config;

import java.time.Duration;

/** The service's whole configuration, typed. Built once by {@link ConfigProducer}. */
public record SignalingConfig(
        String namespace,
        SecretValue appSecret,
        SecretValue verifyToken,
        SecretValue apiToken,
        int webhookMaxBodyBytes,
        Duration staleEventAge,
        String defaultAgent,
        int apiMaxBodyBytes,
        Duration answerWait,
        int retryAfterSeconds,
        Kubernetes kubernetes,
        Telemetry telemetry) {

    public record Kubernetes(
            String masterUrl, int requestTimeoutMillis, int connectionTimeoutMillis, boolean trustCertificates) {}

    public record Telemetry(String otlpEndpoint, String serviceName) {}
}
