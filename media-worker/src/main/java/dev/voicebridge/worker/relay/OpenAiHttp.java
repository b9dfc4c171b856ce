package dev.voicebridge.worker.relay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What both model-call clients share: the API key (in the {@code Authorization} header only), the
 * HTTP client and its bound, OpenAI's refusals as {@link ModelCallRefusedException}, and the check
 * of an SDP answer.
 */
final class OpenAiHttp {
    private static final int MAX_ANSWER_CHARS = 64 * 1024;

    private final String apiKey;
    private final HttpClient http;
    private final Duration timeout;

    OpenAiHttp(String apiKey, HttpClient http, Duration timeout) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("a model call needs an API key");
        }
        this.apiKey = apiKey;
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * POSTs {@code body} ({@code null}: none) to {@code uri}; completes with a 2xx response, or
     * exceptionally with the refusal OpenAI's error object describes.
     */
    CompletableFuture<HttpResponse<String>> post(URI uri, String contentType, String body) {
        var request = HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", "Bearer " + apiKey);
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> {
                    int status = response.statusCode();
                    if (status < 200 || status > 299) {
                        throw ModelCallRefusedException.of(status, response.body());
                    }
                    return response;
                });
    }

    /** {@code sdp} when it is an SDP answer of a sane size, else the {@code not-sdp} refusal. */
    static String answer(int status, String sdp) {
        if (sdp == null || !sdp.startsWith("v=0") || sdp.length() > MAX_ANSWER_CHARS) {
            throw new ModelCallRefusedException(status, "not-sdp", "the response carries no SDP answer");
        }
        return sdp;
    }
}
