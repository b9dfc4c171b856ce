package dev.voicebridge.testkit.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeGraphApiIT {
    static final String SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n";
    final FakeGraphApi graph = FakeGraphApi.start("token-1");
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        graph.close();
    }

    HttpResponse<String> post(String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(graph.baseUri() + "/v23.0/1234/calls"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String action(String callId, String action, String sdp) {
        String session = sdp == null
                ? ""
                : ",\"session\":{\"sdp_type\":\"answer\",\"sdp\":\""
                        + sdp.replace("\r", "\\r").replace("\n", "\\n") + "\"}";
        return "{\"messaging_product\":\"whatsapp\",\"call_id\":\"" + callId + "\",\"action\":\"" + action + "\""
                + session + "}";
    }

    @Test
    void preAcceptThenAcceptWithIdenticalSdpSucceedAndNotifyTheListener() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        graph.addListener((phone, call, act, sdp) -> heard.add(act + ":" + sdp.length()));
        var pre = post("token-1", action("wacid.A", "pre_accept", SDP));
        var acc = post("token-1", action("wacid.A", "accept", SDP));
        assertThat(pre.statusCode()).isEqualTo(200);
        assertThat(acc.body()).contains("\"success\":true");
        assertThat(graph.succeededActions("wacid.A")).containsExactly("pre_accept", "accept");
        assertThat(heard).containsExactly("pre_accept:" + SDP.length(), "accept:" + SDP.length());
        assertThat(graph.requests().getFirst().phoneNumberId()).isEqualTo("1234");
    }

    @Test
    void acceptWithDifferentSdpIsError100() throws Exception {
        post("token-1", action("wacid.B", "pre_accept", SDP));
        var acc = post("token-1", action("wacid.B", "accept", SDP + "a=x\r\n"));
        assertThat(acc.statusCode()).isEqualTo(400);
        assertThat(acc.body()).contains("\"code\":100").contains("not identical");
    }

    @Test
    void badTokenBareLfWrongSdpTypeAndMissingFieldsAreRefused() throws Exception {
        assertThat(post("wrong", action("wacid.C", "terminate", null)).body()).contains("\"code\":190");
        assertThat(post("token-1", action("wacid.C", "pre_accept", "v=0\n")).body())
                .contains("bare LF");
        assertThat(post("token-1", action("wacid.C", "pre_accept", SDP).replace("answer", "offer"))
                        .body())
                .contains("sdp_type must be");
        assertThat(post("token-1", "{\"call_id\":\"x\",\"action\":\"reject\"}").body())
                .contains("messaging_product");
        assertThat(post("token-1", action("wacid.C", "hold", null)).statusCode())
                .isEqualTo(400);
        assertThat(graph.requests()).hasSize(5).noneMatch(GraphRequest::succeeded);
    }

    @Test
    void faultsApplyToTheNextRequestsOnly() throws Exception {
        graph.failNext(1, new GraphFault.ServerError(503));
        graph.failNext(1, new GraphFault.GraphErrorCode(400, 138002, "Concurrency limit"));
        assertThat(post("token-1", action("wacid.D", "reject", null)).statusCode())
                .isEqualTo(503);
        var limited = post("token-1", action("wacid.D", "reject", null));
        assertThat(limited.body()).contains("\"code\":138002");
        assertThat(post("token-1", action("wacid.D", "reject", null)).statusCode())
                .isEqualTo(200);
        assertThat(graph.requests()).extracting(GraphRequest::status).containsExactly(503, 400, 200);
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(graph.baseUri() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String connect(String to, String extra) {
        return "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"action\":\"connect\","
                + "\"session\":{\"sdp_type\":\"offer\",\"sdp\":\""
                + SDP.replace("\r", "\\r").replace("\n", "\\n")
                + "\"}" + extra + "}";
    }

    @Test
    void connectPlacesABusinessInitiatedCallAndTellsWhatsAppsSide() throws Exception {
        List<OutboundCall> placed = new CopyOnWriteArrayList<>();
        graph.addOutboundListener(placed::add);
        var response = post(
                "token-1",
                connect(
                        "447700900123",
                        ",\"biz_opaque_callback_data\":\"voicebridge:wa-x\",\"recording\":{\"status\":\"ENABLED\","
                                + "\"purpose\":\"quality\",\"announcement_language\":\"en_US\"}"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"calls\":[{\"id\":\"wacid.fake-out-");
        assertThat(placed).singleElement().satisfies(call -> {
            assertThat(call.to()).isEqualTo("447700900123");
            assertThat(call.bizOpaqueCallbackData()).isEqualTo("voicebridge:wa-x");
            assertThat(call.sdpOffer()).isEqualTo(SDP);
            assertThat(call.recording().path("status").asText()).isEqualTo("ENABLED");
        });
        assertThat(graph.succeededActions(placed.getFirst().callId())).containsExactly("connect");
    }

    @Test
    void connectIsRefusedWithoutPermissionOrPastTheLimitAsWhatsAppRefusesIt() throws Exception {
        graph.permission("447700900001", UserPermission.none());
        graph.permission("447700900002", UserPermission.limitReached());
        assertThat(post("token-1", connect("447700900001", "")).body()).contains("\"code\":138006");
        assertThat(post("token-1", connect("447700900002", "")).body()).contains("\"code\":138012");
        assertThat(post("token-1", connect("447700900003", ",\"call_id\":\"wacid.x\""))
                        .body())
                .contains("\"code\":100")
                .contains("call_id must not be given");
        assertThat(post(
                                "token-1",
                                connect(
                                        "447700900003",
                                        ",\"transcription\":{\"status\":\"ENABLED\",\"announcement_language\":\"en\"}"))
                        .body())
                .contains("transcription.purpose is required");
    }

    @Test
    void callPermissionsAndThePermissionRequestMessage() throws Exception {
        graph.permission("447700900001", UserPermission.none());
        var state = send("GET", "/v23.0/1234/call_permissions?user_wa_id=447700900001", "token-1", null);
        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(state.body())
                .contains("\"status\":\"no_permission\"")
                .contains("\"action_name\":\"start_call\",\"can_perform_action\":false");
        String message = "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                + "\"to\":\"447700900001\",\"type\":\"interactive\",\"interactive\":{\"type\":"
                + "\"call_permission_request\",\"action\":{\"name\":\"call_permission_request\"},"
                + "\"body\":{\"text\":\"May we call you?\"}}}";
        var sent = send("POST", "/v23.0/1234/messages", "token-1", message);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(graph.permissionRequests())
                .containsExactly(new FakeGraphApi.PermissionRequest("1234", "447700900001", "May we call you?"));
        graph.permission("447700900001", new UserPermission("no_permission", false, false, null));
        assertThat(send("POST", "/v23.0/1234/messages", "token-1", message).body())
                .contains("\"code\":138009");
        assertThat(send("GET", "/v23.0/1234/call_permissions?user_wa_id=1", "wrong", null)
                        .body())
                .contains("\"code\":190");
    }

    @Test
    void mediaIsDownloadedThroughItsUrlWithTheToken() throws Exception {
        graph.putMedia("1002764438271669", "audio/ogg; codecs=opus", new byte[] {1, 2, 3});
        var info = send("GET", "/v23.0/1002764438271669", "token-1", null);
        assertThat(info.statusCode()).isEqualTo(200);
        String url = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(info.body())
                .path("url")
                .asText();
        var bytes = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer token-1")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.body()).containsExactly(1, 2, 3);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("the URL needs the token too")
                .isEqualTo(401);
        assertThat(send("GET", "/v23.0/999", "token-1", null).statusCode()).isEqualTo(404);
    }
}
