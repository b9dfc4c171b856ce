package dev.voicebridge.testkit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake's users and their call permission towards the business (developers.facebook.com,
 * business-messaging/whatsapp/calling/user-call-permissions): what {@code GET call_permissions}
 * reports, what refuses a {@code connect} (138006 without permission, 138012 past the calling
 * limit), and the permission request messages ({@code POST messages}, refused 138009 past their
 * limit).
 */
final class CallPermissions {
    private final Map<String, UserPermission> users = new ConcurrentHashMap<>();
    private final List<FakeGraphApi.PermissionRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong messageIds = new AtomicLong();
    private volatile UserPermission fallback = UserPermission.temporary();

    void set(String user, UserPermission permission) {
        users.put(user, permission);
    }

    void setDefault(UserPermission permission) {
        fallback = permission;
    }

    List<FakeGraphApi.PermissionRequest> requests() {
        return List.copyOf(requests);
    }

    void reset() {
        users.clear();
        requests.clear();
        fallback = UserPermission.temporary();
    }

    private UserPermission of(String user) {
        return users.getOrDefault(user, fallback);
    }

    /** Why a connect to this user fails, or null when the call may be placed. */
    GraphReply connectRefusal(String user) {
        UserPermission p = of(user);
        if (!p.granted()) {
            return GraphReply.invalid(400, 138006, "No approved call permission from the recipient", null);
        }
        return p.canStartCall()
                ? null
                : GraphReply.invalid(400, 138012, "Business initiated calls limit reached", null);
    }

    /** GET call_permissions: the permission and the per-action limits. */
    GraphReply state(Map<String, String> query) {
        String user = query.getOrDefault("user_wa_id", query.get("recipient"));
        if (user == null || user.isBlank()) {
            return GraphReply.invalid(400, 100, "Invalid parameter", "user_wa_id (or recipient) is required");
        }
        UserPermission p = of(user);
        ObjectNode ok = GraphReply.JSON.createObjectNode();
        ok.put("messaging_product", "whatsapp");
        ObjectNode permission = ok.putObject("permission").put("status", p.status());
        if (p.expiresAt() != null) {
            permission.put("expiration_time", p.expiresAt().getEpochSecond());
        }
        var actions = ok.putArray("actions");
        actions.addObject()
                .put("action_name", "send_call_permission_request")
                .put("can_perform_action", p.canRequestPermission())
                .putArray("limits")
                .addObject()
                .put("time_period", "PT24H")
                .put("max_allowed", 1)
                .put("current_usage", p.canRequestPermission() ? 0 : 1);
        ObjectNode limit = actions.addObject()
                .put("action_name", "start_call")
                .put("can_perform_action", p.canStartCall())
                .putArray("limits")
                .addObject()
                .put("time_period", "PT24H")
                .put("max_allowed", 100)
                .put("current_usage", p.canStartCall() ? 0 : 100);
        if (!p.canStartCall()) {
            limit.put("limit_expiration_time", Instant.now().getEpochSecond() + 3600);
        }
        return GraphReply.ok(ok);
    }

    /** POST messages with an interactive call_permission_request. */
    GraphReply request(JsonNode body, String phoneNumberId) {
        if (body == null || !body.isObject() || !"whatsapp".equals(FakeGraphApi.text(body, "messaging_product"))) {
            return GraphReply.invalid(400, 100, "Invalid parameter", "messaging_product must be \"whatsapp\"");
        }
        String to = FakeGraphApi.text(body, "to");
        JsonNode interactive = body.get("interactive");
        JsonNode action = interactive == null ? null : interactive.get("action");
        if (to == null
                || !"interactive".equals(FakeGraphApi.text(body, "type"))
                || !"call_permission_request".equals(FakeGraphApi.text(interactive, "type"))
                || !"call_permission_request".equals(FakeGraphApi.text(action, "name"))) {
            return GraphReply.invalid(
                    400,
                    100,
                    "Invalid parameter",
                    "expected to and an interactive call_permission_request with action call_permission_request");
        }
        String text = FakeGraphApi.text(interactive.get("body"), "text");
        if (text == null || text.isBlank() || text.length() > 1024) {
            return GraphReply.invalid(
                    400, 100, "Invalid parameter", "interactive.body.text is required (at most 1024)");
        }
        if (!of(to).canRequestPermission()) {
            return GraphReply.invalid(400, 138009, "Call permission request limit hit", null);
        }
        requests.add(new FakeGraphApi.PermissionRequest(phoneNumberId, to, text));
        ObjectNode ok = GraphReply.JSON.createObjectNode();
        ok.put("messaging_product", "whatsapp");
        ok.putArray("contacts").addObject().put("input", to).put("wa_id", to);
        ok.putArray("messages").addObject().put("id", "wamid.fake-" + messageIds.incrementAndGet());
        return GraphReply.ok(ok);
    }
}
