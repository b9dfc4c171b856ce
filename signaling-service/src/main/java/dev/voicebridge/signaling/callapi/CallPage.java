package dev.voicebridge.signaling.callapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One page of {@code GET /v1/calls}: calls ordered newest first (creation time, then resource name
 * so equal times still have one order), at most {@code limit} of them, and an opaque
 * {@code continue} token that resumes after the last one. The token holds the position, not an
 * offset, so calls created or deleted between pages neither repeat nor skip the others.
 */
public final class CallPage {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<VoiceCall> NEWEST_FIRST = Comparator.comparing(
                    (VoiceCall c) -> c.getMetadata().getCreationTimestamp(),
                    Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .reversed()
            .thenComparing(c -> c.getMetadata().getName());

    private CallPage() {}

    /** The response body. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(
            List<CallView> items, @JsonProperty("continue") String continueToken) {}

    /** Where a page starts: after the call with this creation time and name. */
    record Cursor(String createdAt, String name) {}

    public static Body page(List<VoiceCall> calls, Predicate<VoiceCall> visible, String limitParam, String token) {
        int limit = limit(limitParam);
        Cursor after = token == null || token.isEmpty() ? null : decode(token);
        var selected = calls.stream()
                .filter(visible)
                .filter(c -> after == null || NEWEST_FIRST.compare(c, probe(after)) > 0)
                .sorted(NEWEST_FIRST)
                .limit(limit + 1L)
                .toList();
        boolean more = selected.size() > limit;
        var items = more ? selected.subList(0, limit) : selected;
        String next = null;
        if (more) {
            var last = items.getLast().getMetadata();
            next = encode(new Cursor(last.getCreationTimestamp(), last.getName()));
        }
        return new Body(items.stream().map(CallView::summary).toList(), next);
    }

    static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through to the problem below
        }
        throw new ProblemException(ProblemCode.INVALID_FIELD, "limit must be an integer from 1 to " + MAX_LIMIT);
    }

    static String encode(Cursor cursor) {
        var node =
                JSON.createObjectNode().put("v", 1).put("t", cursor.createdAt()).put("n", cursor.name());
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String token) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(token));
            if (node != null && node.path("v").asInt() == 1 && node.path("n").isTextual()) {
                return new Cursor(
                        node.path("t").isTextual() ? node.path("t").asText() : null,
                        node.path("n").asText());
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            // not ours: the problem below
        }
        throw new ProblemException(
                ProblemCode.INVALID_CONTINUE, "continue must be a token from a previous page of this list");
    }

    private static VoiceCall probe(Cursor cursor) {
        var call = new VoiceCall();
        call.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(Objects.requireNonNull(cursor.name()))
                .withCreationTimestamp(cursor.createdAt())
                .build());
        return call;
    }
}
