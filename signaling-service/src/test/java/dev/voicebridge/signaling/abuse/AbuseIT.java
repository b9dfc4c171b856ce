package dev.voicebridge.signaling.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.LogCapture;
import dev.voicebridge.signaling.SignalingTestServer;
import dev.voicebridge.signaling.problem.ProblemCodeDocumentationTest;
import dev.voicebridge.testkit.abuse.HostileRequests;
import dev.voicebridge.testkit.abuse.HttpFlood;
import dev.voicebridge.testkit.abuse.SignalingAttacks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Over a thousand malformed or hostile requests at the webhook, the call API and the operational
 * endpoints, sixteen at a time, while a legitimate client creates, reads and hangs up a call. Every
 * answer must be the specific documented problem (never a 500, never a body that is not
 * problem+json), the service must not log a single stack trace and only a bounded number of lines,
 * and the legitimate call must work throughout.
 */
class AbuseIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ANSWER =
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";

    @Test
    void hostileRequestsGetDocumentedProblemsWithoutStackTracesWhileALegitimateCallWorks() throws Exception {
        try (var server = SignalingTestServer.start(Map.of(
                        "voicebridge.api.answer-wait", "1500ms",
                        // the catalogue's oversized webhook bodies are sized from this (SignalingTarget)
                        "voicebridge.webhook.max-body-bytes", "65536",
                        "server.connection-options.read-timeout", "PT5S"));
                var logs = LogCapture.start()) {
            String salesCall = "wacid.abuse-sales-call";
            server.createCall(salesCall, SignalingTestServer.SALES_AGENT, SignalingTestServer.SALES_PHONE_NUMBER_ID);
            List<HostileRequests.Attack> attacks = SignalingAttacks.all(
                    new SignalingAttacks.SignalingTarget(
                            SignalingTestServer.APP_SECRET,
                            SignalingTestServer.VERIFY_TOKEN,
                            SignalingTestServer.API_TOKEN,
                            SignalingTestServer.AGENT,
                            salesCall,
                            65_536,
                            new SignalingAttacks.SignalingTarget.Scopes(
                                    SignalingTestServer.RECEPTION_TOKEN,
                                    SignalingTestServer.SALES_VIEWER_TOKEN,
                                    SignalingTestServer.SALES_AGENT)),
                    20_251_206L);
            assertThat(attacks.stream().filter(a -> !a.codes().isEmpty())).hasSizeGreaterThan(1_000);

            var legitimate = CompletableFuture.supplyAsync(() -> legitimateCall(server));
            List<HttpFlood.Outcome> outcomes;
            try (var flood = HttpFlood.start(server.raw(), attacks, 16)) {
                outcomes = flood.await(Duration.ofSeconds(60));
            }
            assertThat(legitimate.get(60, TimeUnit.SECONDS)).isEqualTo("created, read, hung up");

            Set<String> documented = ProblemCodeDocumentationTest.documentedCodes();
            List<String> wrong = new ArrayList<>();
            Map<String, Integer> seen = new TreeMap<>();
            for (HttpFlood.Outcome outcome : outcomes) {
                if (!outcome.attack().answerExpected()) {
                    continue;
                }
                String verdict = outcome.verdict(documented);
                if (verdict != null) {
                    wrong.add(outcome.attack().kind() + " -> " + verdict);
                }
                seen.merge(outcome.reply().status() + " " + outcome.code(), 1, Integer::sum);
            }
            assertThat(wrong).as("answers seen: %s", seen).isEmpty();

            // Aborted exchanges end quietly too: wait until the abandoned creates answered into
            // their closed sockets before judging the log.
            var idle = java.util.regex.Pattern.compile("(?m)^signaling_api_pending_waiters(\\{[^}]*})? 0(\\.0)?$");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> idle.matcher(server.get("/metrics/application", Map.of("Accept", "text/plain"))
                                    .body())
                            .find());
            assertThat(logs.stackTraces()).as("stack traces in the service log").isEmpty();
            List<String> lines = logs.lines(Level.INFO);
            assertThat(lines.size())
                    .as(
                            "log lines for %d hostile requests (rate-limited):%n%s",
                            outcomes.size(), String.join("\n", lines))
                    .isLessThan(150);
            assertThat(server.get("/health/ready", Map.of()).statusCode()).isEqualTo(200);
            assertThat(server.call(CallNames.forCallId(salesCall)).getSpec().getHangup())
                    .as("no hostile request hung up the call outside its scope")
                    .isNull();
        }
    }

    /** A client doing everything right during the flood; the test plays the worker that answers. */
    static String legitimateCall(SignalingTestServer server) {
        try {
            String callId = "wacid.abuse-legit";
            String name = CallNames.forCallId(callId);
            var worker = CompletableFuture.runAsync(() -> {
                await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> server.call(name) != null);
                var patch = new VoiceCall();
                dev.voicebridge.signaling.calls.WorkerAnswers.answer(patch, ANSWER);
                server.kube()
                        .resources(VoiceCall.class)
                        .inNamespace(SignalingTestServer.NAMESPACE)
                        .withName(name)
                        .patchStatus(patch);
            });
            var body = JSON.createObjectNode()
                    .put("callId", callId)
                    .put("sdpOffer", Fixtures.read("whatsapp-offer.sdp"))
                    .put("agent", SignalingTestServer.AGENT);
            var created = server.post(
                    "/v1/calls",
                    JSON.writeValueAsBytes(body),
                    SignalingTestServer.bearer(SignalingTestServer.RECEPTION_TOKEN));
            worker.join();
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(JSON.readTree(created.body()).path("sdpAnswer").asText()).isEqualTo(ANSWER);
            var read =
                    server.get("/v1/calls/" + callId, SignalingTestServer.bearer(SignalingTestServer.RECEPTION_TOKEN));
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).doesNotContain("a=ice-pwd");
            var hangup = server.delete(
                    "/v1/calls/" + callId, SignalingTestServer.bearer(SignalingTestServer.RECEPTION_TOKEN));
            assertThat(hangup.statusCode()).isEqualTo(202);
            assertThat(server.call(name).getSpec().getHangup().getReason()).isEqualTo(EndReason.ApiHangup);
            return "created, read, hung up";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
