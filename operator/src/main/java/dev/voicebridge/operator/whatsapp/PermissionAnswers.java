package dev.voicebridge.operator.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * Reads the {@code call_permissions} answer (user-call-permissions page): {@code permission.status}
 * and {@code expiration_time}, and per action ({@code start_call}, {@code
 * send_call_permission_request}) whether it may be performed now and until when a limit blocks
 * it. Defensive: the shape moved during the calling beta ({@code permission} at the top level or in
 * {@code data[0]}, {@code can_perform_action} or {@code can_perform}).
 */
final class PermissionAnswers {
    private PermissionAnswers() {}

    static PermissionOutcome read(ObjectMapper json, String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            return unknown("the call_permissions answer is not JSON");
        }
        JsonNode node = root != null && root.has("permission")
                ? root
                : root == null ? null : root.path("data").path(0);
        String status =
                node == null ? null : node.path("permission").path("status").asText(null);
        if (status == null) {
            return unknown("the call_permissions answer has no permission.status");
        }
        Boolean canStart = null;
        Boolean canRequest = null;
        Instant limitExpires = null;
        for (JsonNode action : node.path("actions")) {
            JsonNode can =
                    action.has("can_perform_action") ? action.get("can_perform_action") : action.get("can_perform");
            Boolean allowed = can == null || !can.isBoolean() ? null : can.asBoolean();
            switch (action.path("action_name").asText("")) {
                case "start_call" -> {
                    canStart = allowed;
                    for (JsonNode limit : action.path("limits")) {
                        if (limit.path("limit_expiration_time").canConvertToLong()) {
                            limitExpires = Instant.ofEpochSecond(
                                    limit.path("limit_expiration_time").asLong());
                        }
                    }
                }
                case "send_call_permission_request" -> canRequest = allowed;
                default -> {}
            }
        }
        JsonNode expiration = node.path("permission").path("expiration_time");
        return new PermissionOutcome.Known(
                status.toLowerCase(Locale.ROOT),
                expiration.canConvertToLong() ? Instant.ofEpochSecond(expiration.asLong()) : null,
                canStart,
                canRequest,
                limitExpires);
    }

    private static PermissionOutcome unknown(String why) {
        return new PermissionOutcome.Unknown(
                new GraphOutcome.Failure(200, null, why, null, null, false, GraphErrors.reasonFor(null)));
    }
}
