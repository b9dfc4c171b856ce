package dev.voicebridge.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Calls a VoiceAgent HTTP tool on the model's behalf: the model's JSON arguments are POSTed to the
 * tool URL within its timeout. The future always completes normally with the
 * {@code function_call_output} text: the tool's JSON answer, or an error object the model can
 * explain to the caller ({@code {"error": "timeout" | "http_status" | "unreachable" | …}}).
 * Nothing is sent to a plain http:// URL unless the tool sets {@code insecure}, and nothing is
 * sent without the bearer token the tool names when that token cannot be read.
 */
final class HttpToolInvoker {
    static final int DEFAULT_TIMEOUT_MILLIS = 5000;
    static final int MAX_RESULT_CHARS = 16 * 1024;

    private final HttpClient http;
    private final ObjectMapper json;
    private final Function<SecretKeyRef, String> secrets;
    private final boolean owned;

    /** @param shared the worker's client, or null to own one (closed with {@link #close()}) */
    HttpToolInvoker(ObjectMapper json, Function<SecretKeyRef, String> secrets, HttpClient shared) {
        this.json = json;
        this.secrets = secrets;
        this.owned = shared == null;
        this.http = shared != null ? shared : newClient();
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("agent-http-tool-", 0).factory()))
                .build();
    }

    void close() {
        if (owned) {
            http.close();
        }
    }

    CompletableFuture<String> invoke(AgentTool tool, String arguments) {
        var spec = tool.getHttp();
        if (spec == null || spec.getUrl() == null) {
            return CompletableFuture.completedFuture(error("not_configured", "tool " + tool.getName() + " has no URL"));
        }
        try {
            json.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(error("invalid_arguments", "arguments are not valid JSON"));
        }
        URI url;
        try {
            url = URI.create(spec.getUrl());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    error("not_configured", "tool " + tool.getName() + " has an invalid URL"));
        }
        // The API server checks the same rule; an agent stored before it existed is held to it here.
        if (!"https".equalsIgnoreCase(url.getScheme()) && !spec.insecureAllowed()) {
            return CompletableFuture.completedFuture(error(
                    "insecure_url", "tool " + tool.getName() + ": an http:// URL needs insecure: true on the tool"));
        }
        int timeout = spec.getTimeoutMillis() == null ? DEFAULT_TIMEOUT_MILLIS : spec.getTimeoutMillis();
        var request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofMillis(timeout))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(arguments == null || arguments.isBlank() ? "{}" : arguments));
        if (spec.getBearerTokenSecret() != null) {
            var token = secrets == null ? null : secrets.apply(spec.getBearerTokenSecret());
            if (token == null) {
                // Never send the request without the token it was configured with.
                return CompletableFuture.completedFuture(error(
                        "secret_unavailable",
                        "tool " + tool.getName() + ": its bearer token Secret is missing, lacks the key, is not "
                                + "readable by the media worker, or is not labelled " + Labels.TOOL_SECRET + "=true"));
            }
            request.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        var cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure;
                        if (cause instanceof HttpTimeoutException) {
                            return error(
                                    "timeout", "tool " + tool.getName() + " did not answer within " + timeout + " ms");
                        }
                        return error(
                                "unreachable",
                                "tool " + tool.getName() + " could not be reached: "
                                        + cause.getClass().getSimpleName());
                    }
                    return result(tool, response);
                });
    }

    private String result(AgentTool tool, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        if (body.length() > MAX_RESULT_CHARS) {
            body = body.substring(0, MAX_RESULT_CHARS);
        }
        if (response.statusCode() / 100 != 2) {
            ObjectNode e = json.createObjectNode()
                    .put("error", "http_status")
                    .put("status", response.statusCode())
                    .put("message", "tool " + tool.getName() + " answered HTTP " + response.statusCode());
            e.put("body", body.length() > 512 ? body.substring(0, 512) : body);
            return e.toString();
        }
        try {
            return json.readTree(body).toString();
        } catch (IOException notJson) {
            return json.createObjectNode().put("result", body).toString();
        }
    }

    private String error(String code, String message) {
        return json.createObjectNode()
                .put("error", code)
                .put("message", message)
                .toString();
    }
}
