package dev.voicebridge.signaling.security;

import static dev.voicebridge.signaling.SignalingTestServer.AGENT;
import static dev.voicebridge.signaling.SignalingTestServer.NUMBER_BOT_TOKEN;
import static dev.voicebridge.signaling.SignalingTestServer.PHONE_NUMBER_ID;
import static dev.voicebridge.signaling.SignalingTestServer.RECEPTION_TOKEN;
import static dev.voicebridge.signaling.SignalingTestServer.SALES_AGENT;
import static dev.voicebridge.signaling.SignalingTestServer.SALES_PHONE_NUMBER_ID;
import static dev.voicebridge.signaling.SignalingTestServer.SALES_VIEWER_TOKEN;
import static dev.voicebridge.signaling.SignalingTestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.SignalingTestServer;
import dev.voicebridge.signaling.calls.CallAnnotations;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Named clients with scopes (the clients file of {@link SignalingTestServer}): a client sees and
 * touches only the calls of its agents and phone-number ids, a call outside its scope is answered
 * exactly like one that does not exist, lists are filtered and paged, and an operation the client
 * was not given is refused. The legacy single token keeps its full scope.
 */
class ClientScopesIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static SignalingTestServer server;
    static String receptionCall;
    static String salesCall;
    static String receptionOnSalesNumber;
    static String agentlessCall;

    @BeforeAll
    static void start() throws Exception {
        server = SignalingTestServer.start(Map.of("voicebridge.api.answer-wait", "300ms"));
        receptionCall = id("reception");
        salesCall = id("sales");
        receptionOnSalesNumber = id("mixed");
        agentlessCall = id("agentless");
        server.createCall(receptionCall, AGENT, PHONE_NUMBER_ID);
        server.createCall(salesCall, SALES_AGENT, SALES_PHONE_NUMBER_ID);
        server.createCall(receptionOnSalesNumber, AGENT, SALES_PHONE_NUMBER_ID);
        server.createCall(agentlessCall, null, PHONE_NUMBER_ID);
        server.awaitListed(receptionCall, salesCall, receptionOnSalesNumber, agentlessCall);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String id(String label) {
        return "wacid.scope-" + label + "-" + UUID.randomUUID().toString().replace("-", "");
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    static List<String> listed(String token) throws Exception {
        var response = server.get("/v1/calls?limit=200", bearer(token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("items").findValuesAsText("callId");
    }

    @Test
    void listsHoldOnlyTheClientsCalls() throws Exception {
        assertThat(listed(RECEPTION_TOKEN))
                .contains(receptionCall, receptionOnSalesNumber)
                .doesNotContain(salesCall, agentlessCall);
        assertThat(listed(SALES_VIEWER_TOKEN))
                .contains(salesCall)
                .doesNotContain(receptionCall, receptionOnSalesNumber, agentlessCall);
        assertThat(listed(NUMBER_BOT_TOKEN))
                .contains(salesCall, receptionOnSalesNumber)
                .doesNotContain(receptionCall, agentlessCall);
        assertThat(listed(SignalingTestServer.API_TOKEN))
                .as("the legacy token is the client 'default' with every call in scope")
                .contains(receptionCall, salesCall, receptionOnSalesNumber, agentlessCall);
    }

    @Test
    void aCallOutsideTheScopeIsAnsweredExactlyLikeAMissingOne() throws Exception {
        String salesPath = "/v1/calls/" + salesCall;
        String missingPath = "/v1/calls/" + id("missing");
        var outOfScope = server.get(salesPath, bearer(RECEPTION_TOKEN));
        var missing = server.get(missingPath, bearer(RECEPTION_TOKEN));
        assertSameRefusal(outOfScope, missing);
        assertSameRefusal(
                server.delete(salesPath, bearer(RECEPTION_TOKEN)), server.delete(missingPath, bearer(RECEPTION_TOKEN)));
        assertSameRefusal(
                server.post(salesPath + "/accepted", new byte[0], bearer(RECEPTION_TOKEN)),
                server.post(missingPath + "/accepted", new byte[0], bearer(RECEPTION_TOKEN)));

        var untouched = server.call(CallNames.forCallId(salesCall));
        assertThat(untouched.getSpec().getHangup()).isNull();
        assertThat(untouched.getMetadata().getAnnotations())
                .doesNotContainKey(dev.voicebridge.api.Labels.ACCEPTED_ANNOTATION);

        var inScope = server.get("/v1/calls/" + receptionCall, bearer(RECEPTION_TOKEN));
        assertThat(inScope.statusCode()).isEqualTo(200);
        assertThat(json(inScope).path("callId").asText()).isEqualTo(receptionCall);
    }

    /** Same status, code, title; the detail differs only in the resource name it echoes. */
    static void assertSameRefusal(HttpResponse<String> outOfScope, HttpResponse<String> missing) throws Exception {
        assertThat(outOfScope.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
        JsonNode a = json(outOfScope);
        JsonNode b = json(missing);
        assertThat(a.path("code").asText())
                .isEqualTo("call-not-found")
                .isEqualTo(b.path("code").asText());
        assertThat(a.path("title").asText()).isEqualTo(b.path("title").asText());
        assertThat(a.path("detail").asText().replaceAll("wa-[a-z0-9]+", "wa-?"))
                .isEqualTo(b.path("detail").asText().replaceAll("wa-[a-z0-9]+", "wa-?"));
    }

    @Test
    void operationsTheClientWasNotGivenAre403() throws Exception {
        var hangup = server.delete("/v1/calls/" + salesCall, bearer(SALES_VIEWER_TOKEN));
        assertThat(hangup.statusCode()).isEqualTo(403);
        assertThat(json(hangup).path("code").asText()).isEqualTo("forbidden");
        assertThat(json(hangup).path("detail").asText())
                .contains("sales-viewer")
                .contains("hangup");
        var create = server.post("/v1/calls", createBody(id("viewer"), SALES_AGENT, null), bearer(SALES_VIEWER_TOKEN));
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(server.call(CallNames.forCallId(salesCall)).getSpec().getHangup())
                .isNull();
    }

    @Test
    void creatingNeedsTheAgentInScopeAndNeverRevealsAnotherScopesCall() throws Exception {
        String callId = id("created");
        var created = server.post("/v1/calls", createBody(callId, AGENT, null), bearer(RECEPTION_TOKEN));
        // No worker answers here: the 504 shows the request passed authentication and scope.
        assertThat(created.statusCode()).as(created.body()).isEqualTo(504);
        assertThat(server.call(CallNames.forCallId(callId)).getMetadata().getAnnotations())
                .containsEntry(CallAnnotations.API_CLIENT, "reception-edge");

        String other = id("other-agent");
        var outOfScope = server.post("/v1/calls", createBody(other, SALES_AGENT, null), bearer(RECEPTION_TOKEN));
        var unknown = server.post("/v1/calls", createBody(id("unknown"), "nobody", null), bearer(RECEPTION_TOKEN));
        assertThat(outOfScope.statusCode()).isEqualTo(404).isEqualTo(unknown.statusCode());
        assertThat(json(outOfScope).path("code").asText()).isEqualTo("agent-not-found");
        assertThat(json(outOfScope).path("detail").asText())
                .isEqualTo(json(unknown).path("detail").asText().replace("nobody", SALES_AGENT));
        assertThat(server.call(CallNames.forCallId(other))).isNull();

        // The number bot may use any agent, but only on the sales number.
        var wrongNumber =
                server.post("/v1/calls", createBody(id("bot"), AGENT, PHONE_NUMBER_ID), bearer(NUMBER_BOT_TOKEN));
        assertThat(wrongNumber.statusCode()).isEqualTo(404);
        var implicit = server.post("/v1/calls", createBody(id("bot"), null, PHONE_NUMBER_ID), bearer(NUMBER_BOT_TOKEN));
        assertThat(json(implicit).path("code").asText()).isEqualTo("agent-not-found");

        // Retrying another scope's call id with that call's very offer: a conflict, not its answer.
        var replay = server.post("/v1/calls", createBody(salesCall, AGENT, null), bearer(RECEPTION_TOKEN));
        assertThat(replay.statusCode()).isEqualTo(409);
        assertThat(json(replay).path("code").asText()).isEqualTo("call-id-conflict");
    }

    static byte[] createBody(String callId, String agent, String phoneNumberId) throws Exception {
        var body = JSON.createObjectNode().put("callId", callId).put("sdpOffer", Fixtures.read("whatsapp-offer.sdp"));
        if (agent != null) {
            body.put("agent", agent);
        }
        if (phoneNumberId != null) {
            body.put("phoneNumberId", phoneNumberId);
        }
        return JSON.writeValueAsBytes(body);
    }

    @Test
    void listsArePagedWithAnOpaqueContinueTokenInOneStableOrder() throws Exception {
        List<String> all = listed(SignalingTestServer.API_TOKEN);
        assertThat(all.size()).isGreaterThanOrEqualTo(4);
        List<String> paged = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            String query = "/v1/calls?limit=2"
                    + (next == null ? "" : "&continue=" + java.net.URLEncoder.encode(next, "UTF-8"));
            var page = json(server.get(query, server.bearer()));
            assertThat(page.path("items").size()).isBetween(1, 2);
            page.path("items").forEach(item -> {
                paged.add(item.path("callId").asText());
                assertThat(item.has("agentStatus") && item.path("agentStatus").has("transcript"))
                        .as("list items leave transcripts out")
                        .isFalse();
            });
            next = page.path("continue").isMissingNode()
                    ? null
                    : page.path("continue").asText();
            pages++;
        } while (next != null && pages < 100);
        assertThat(paged).containsExactlyElementsOf(all);
        assertThat(new HashSet<>(paged)).hasSameSizeAs(paged);

        for (String bad : List.of("limit=0", "limit=201", "limit=ten", "continue=not-a-token", "continue=e30")) {
            var refused = server.get("/v1/calls?" + bad, server.bearer());
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(refused).path("code").asText())
                    .as(bad)
                    .isEqualTo(bad.startsWith("limit") ? "invalid-field" : "invalid-continue");
        }
        var defaultPage = json(server.get("/v1/calls", server.bearer()));
        assertThat(defaultPage.path("items").size()).isLessThanOrEqualTo(50);
    }
}
