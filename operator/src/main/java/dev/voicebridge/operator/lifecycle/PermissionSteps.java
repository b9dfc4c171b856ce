package dev.voicebridge.operator.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.events.EventReason;
import dev.voicebridge.operator.events.EventRecorder;
import dev.voicebridge.operator.whatsapp.AgentDirectory;
import dev.voicebridge.operator.whatsapp.GraphClient;
import dev.voicebridge.operator.whatsapp.GraphOutcome;
import dev.voicebridge.operator.whatsapp.PermissionOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound: reads the user's call permission ({@code GET /{phone-number-id}/call_permissions})
 * before a worker is used, and records it in {@code status.whatsapp.permission}. A permission that
 * cannot be read is recorded as {@code unknown} with the Graph error: the call is then attempted,
 * and connect's own answer (138006 and the limit codes) decides. Reading is idempotent, so a
 * crash between the request and the write only reads it again.
 */
final class PermissionSteps {
    private static final Logger LOG = LoggerFactory.getLogger(PermissionSteps.class);
    static final String UNKNOWN = "unknown";

    private final CallPatcher patcher;
    private final GraphClient graph;
    private final AgentDirectory agents;
    private final EventRecorder events;
    private final Clock clock;

    PermissionSteps(CallPatcher patcher, GraphClient graph, AgentDirectory agents, EventRecorder events, Clock clock) {
        this.patcher = patcher;
        this.graph = graph;
        this.agents = agents;
        this.events = events;
        this.clock = clock;
    }

    StepResult check(VoiceCall call) {
        var spec = call.getSpec();
        Optional<String> token = agents.accessToken(call);
        PermissionOutcome outcome;
        if (spec.getPhoneNumberId() == null || token.isEmpty()) {
            // connect will fail the same way and end the call with the specific message.
            outcome = new PermissionOutcome.Unknown(
                    new GraphOutcome.Failure(0, null, "no phoneNumberId or access token", null, null, false, null));
        } else {
            outcome = graph.permission(
                    spec.getPhoneNumberId(),
                    spec.getCallee(),
                    spec.getCallee() == null ? spec.getUserId() : null,
                    token.get());
        }
        Instant now = clock.instant();
        ObjectNode status = patcher.statusPatch();
        ObjectNode whatsapp = status.putObject("whatsapp");
        ObjectNode permission = whatsapp.putObject("permission");
        permission.put("checkedAt", now.toString());
        String summary;
        switch (outcome) {
            case PermissionOutcome.Known known -> {
                permission.put("status", known.status());
                putInstant(permission, "expiresAt", known.expiresAt());
                putBoolean(permission, "canStartCall", known.canStartCall());
                putBoolean(permission, "canRequestPermission", known.canRequestPermission());
                putInstant(permission, "limitExpiresAt", known.limitExpiresAt());
                summary = "call permission " + known.status()
                        + (Boolean.FALSE.equals(known.canStartCall()) ? ", a call limit forbids calling now" : "");
            }
            case PermissionOutcome.Unknown unknown -> {
                permission.put("status", UNKNOWN);
                var failure = unknown.failure();
                ObjectNode error = whatsapp.putObject("lastError");
                if (failure.code() != null) {
                    error.put("code", failure.code());
                }
                error.put("message", truncate(failure.message()));
                error.put("at", now.toString());
                summary = "call permission could not be read (" + WhatsAppSteps.describe(failure)
                        + "); calling, WhatsApp decides";
            }
        }
        VoiceCall updated = patcher.patchStatus(call, status, true);
        events.record(updated, EventReason.PermissionChecked, summary);
        LOG.info(LogLine.of(
                "call.permission",
                LogLine.CALL,
                call.getMetadata().getName(),
                "status",
                permission.path("status").asText()));
        return new StepResult.Continue(updated);
    }

    private static void putInstant(ObjectNode node, String field, Instant value) {
        if (value != null) {
            node.put(field, value.toString());
        }
    }

    private static void putBoolean(ObjectNode node, String field, Boolean value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 2048 ? text : text.substring(0, 2048);
    }
}
