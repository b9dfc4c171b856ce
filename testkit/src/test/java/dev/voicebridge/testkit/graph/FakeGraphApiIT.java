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
}
