package dev.voicebridge.signaling.callapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * Downloads WhatsApp's recording or transcript of a call on request, as Meta's media flow goes
 * (developers.facebook.com, business-messaging/whatsapp/calling/call-recording, "Download the
 * recording"): {@code GET /{version}/{media-id}} with the access token gives a short-lived URL,
 * fetched with the token too. The media id comes from the call's annotation (the
 * {@code call_recording_available} / {@code call_transcription_available} webhook); the content is
 * streamed to the client, never stored. The token goes only to the configured Graph origin or an
 * https URL Graph handed out.
 */
public final class CallMedia {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final SignalingConfig.Graph graph;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    public CallMedia(SignalingConfig.Graph graph) {
        this.graph = graph;
    }

    public enum Kind {
        RECORDING(Labels.WHATSAPP_RECORDING_ANNOTATION),
        TRANSCRIPT(Labels.WHATSAPP_TRANSCRIPT_ANNOTATION);

        final String annotation;

        Kind(String annotation) {
            this.annotation = annotation;
        }
    }

    /** The media: its type, its length when known (else -1) and the stream to copy to the client. */
    public record Download(String mimeType, long length, InputStream body) {}

    public Download fetch(VoiceCall call, Kind kind) {
        String mediaId = mediaId(call, kind);
        if (graph.accessToken().isEmpty()) {
            throw new ProblemException(
                    ProblemCode.MEDIA_DOWNLOAD_DISABLED,
                    "set voicebridge.whatsapp.access-token-file to download WhatsApp's recordings and transcripts");
        }
        String token = new String(graph.accessToken().bytes(), StandardCharsets.UTF_8);
        JsonNode info = json(send(URI.create(graph.baseUrl() + "/" + graph.version() + "/" + mediaId), token));
        String url = info.path("url").asText("");
        URI where;
        try {
            where = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw failed("Graph gave no usable media URL");
        }
        if (!trusted(where)) {
            throw failed("Graph gave a media URL that is neither https nor on the Graph origin");
        }
        HttpResponse<InputStream> media = send(where, token);
        String type = media.headers()
                .firstValue("Content-Type")
                .orElse(info.path("mime_type").asText("application/octet-stream"));
        return new Download(
                type, media.headers().firstValueAsLong("Content-Length").orElse(-1), media.body());
    }

    /** The media id the webhook announced, else 404 (not announced yet, or never). */
    static String mediaId(VoiceCall call, Kind kind) {
        var annotations = call.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(kind.annotation);
        String id = null;
        if (value != null) {
            try {
                id = JSON.readTree(value).path("mediaId").asText(null);
            } catch (IOException e) {
                id = null;
            }
        }
        if (id == null || !id.matches("^[0-9A-Za-z_.-]{1,128}$")) {
            throw new ProblemException(
                    ProblemCode.MEDIA_NOT_AVAILABLE,
                    "WhatsApp has announced no " + kind.name().toLowerCase(java.util.Locale.ROOT) + " for call "
                            + call.getMetadata().getName());
        }
        return id;
    }

    private boolean trusted(URI url) {
        URI base = URI.create(graph.baseUrl());
        boolean sameOrigin = url.getScheme() != null
                && url.getScheme().equalsIgnoreCase(base.getScheme())
                && url.getHost() != null
                && url.getHost().equalsIgnoreCase(base.getHost())
                && url.getPort() == base.getPort();
        return sameOrigin || "https".equalsIgnoreCase(url.getScheme());
    }

    private HttpResponse<InputStream> send(URI uri, String token) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(TIMEOUT)
                            .header("Authorization", "Bearer " + token)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            // The message can name an address; the type says enough.
            throw failed("Graph could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            String code;
            try (InputStream in = response.body()) {
                code = JSON.readTree(in.readNBytes(64 * 1024))
                        .path("error")
                        .path("code")
                        .asText("none");
            } catch (IOException e) {
                code = "none";
            }
            throw failed("Graph answered HTTP " + response.statusCode() + ", error code " + code);
        }
        return response;
    }

    private static JsonNode json(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return JSON.readTree(in.readNBytes(64 * 1024));
        } catch (IOException e) {
            throw failed("Graph's media answer is not JSON");
        }
    }

    private static ProblemException failed(String detail) {
        return new ProblemException(ProblemCode.MEDIA_FETCH_FAILED, detail);
    }
}
