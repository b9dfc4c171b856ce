package dev.voicebridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.abuse.DatagramFlood;
import dev.voicebridge.testkit.abuse.HostileDatagrams;
import dev.voicebridge.testkit.abuse.HostileRequests;
import dev.voicebridge.testkit.abuse.HttpFlood;
import dev.voicebridge.testkit.abuse.SignalingAttacks;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.graph.GraphRequest;
import dev.voicebridge.testkit.http.RawHttp;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole system under attack (issue 11): while two live calls run — one placed by WhatsApp's
 * signed webhook (the bridge accepts it), one through the call API — every HTTP port of every
 * service gets over a thousand malformed or hostile requests (signaling's webhook, call API and
 * operational endpoints; the operator's and each worker's health and metrics ports) and each
 * worker's media port 100,000 hostile datagrams of every class, half of them from the attacked
 * call's own peer socket. Then, with the flood still running, one call is hung up through the
 * call API and the other by WhatsApp's terminate webhook.
 *
 * <p>It asserts: no 500 from any service, every answer the documented problem of its service, no
 * stack trace in any service's log, both calls keeping their audio (each phone hears its own tone
 * echoed, loss and concealment no worse than in a control window without the flood), and each
 * hang-up ending the call everywhere within 1 s: the VoiceCall Ended with the right reason by its
 * worker, the worker's media stopped and its session gone, the fake Graph API told where the
 * bridge owes WhatsApp a terminate. Deterministic (seeded) and bounded; it prints what it took.
 */
@Timeout(300)
class AbuseE2E {
    static final long SEED = 20_261_206L;
    /** The echo agent's WhatsApp number: calls to it are answered by the embedded echo agent. */
    static final String ECHO_NUMBER = "518638374670001";

    static final int HTTP_PER_SURFACE = 1_000;
    static final int HTTP_CONCURRENCY = 6;
    /**
     * How long each flood lasts: the measured window (three status writes, after waiting up to a
     * write interval per call on either side, so 6 to 14 s) and both hang-ups (about 1.5 s each
     * with the checks after them) fit in it, so they all happen under the flood.
     */
    static final Duration FLOOD = Duration.ofSeconds(22);

    static final int DATAGRAMS_PER_CALL = 100_000;
    /** 48 every 10 ms: 4,800 a second per worker, 100,000 in about 21 s, a little under {@link #FLOOD}. */
    static final int BURST = 48;

    static final Duration TICK = Duration.ofMillis(10);
    /** Three status writes of the workers (every 2 s here). */
    static final Duration WINDOW = Duration.ofSeconds(6);

    static final Duration HANGUP_BOUND = Duration.ofSeconds(1);
    /** As TransportRobustnessIT: the flood may cost what noise costs, not audio. */
    static final long LOSS_SLACK = 5;

    static final long CONCEALED_SLACK_MILLIS = 200;
    static final List<String> OPERATIONAL = List.of("/health/live", "/health/ready", "/metrics");

    static E2eStack stack;
    static Webhooks whatsapp;
    static long startupMillis;

    @BeforeAll
    static void start() throws Exception {
        TestNetwork.requireNamespace();
        long t0 = System.nanoTime();
        stack = new E2eStack("AbuseE2E");
        stack.addEchoAgent("echo", ECHO_NUMBER);
        whatsapp = new Webhooks(stack.signaling);
        startupMillis = millisSince(t0);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void floodedFromEveryDoorTheSystemKeepsItsCallsItsHangupsAndItsLogs() throws Exception {
        long t0 = System.nanoTime();
        var logs = new ServiceLogs(stack);
        String run = Long.toString(System.nanoTime());
        try (LiveCall bridged = placeWhatsAppCall("wacid.e2e-abuse-wa-" + run, 500);
                LiveCall api = placeApiCall("wacid.e2e-abuse-api-" + run, 1200);
                DatagramChannel stranger =
                        DatagramChannel.open().bind(new InetSocketAddress(E2eStack.PHONE_ADDRESS, 0))) {
            List<LiveCall> calls = List.of(bridged, api);
            long setupMillis = millisSince(t0);

            // Control: a window without the flood.
            var control = window(calls);

            // The flood, from every side at once.
            var mark = logs.mark();
            long floodStart = System.nanoTime();
            Map<String, HttpFlood> http = startHttpFloods(bridged.callId);
            Map<String, DatagramFlood> datagrams = new LinkedHashMap<>();
            for (LiveCall call : calls) {
                var hostile = HostileDatagrams.against(
                        SEED + datagrams.size(),
                        stack.call(call.callId).getStatus().getMedia().getSdpAnswer(),
                        call.phone.offer());
                datagrams.put(
                        call.callId,
                        DatagramFlood.start(
                                hostile,
                                call.phone::sendRaw,
                                stranger,
                                stack.workerMedia(call.worker()),
                                DATAGRAMS_PER_CALL,
                                BURST,
                                TICK));
            }
            try {
                var flooded = window(calls);
                Map<String, Hangup> hangups = new LinkedHashMap<>();
                AssertionError hangupFailed = null;
                try {
                    hangups.put("call API DELETE", hangUpThroughTheApi(bridged, http, datagrams));
                    hangups.put("terminate webhook", hangUpThroughWhatsApp(api, http, datagrams));
                } catch (AssertionError e) {
                    hangupFailed = e; // thrown once the flood's outcome is reported too
                }

                // Every request answered, every datagram sent.
                Map<String, List<HttpFlood.Outcome>> outcomes = new LinkedHashMap<>();
                for (var flood : http.entrySet()) {
                    outcomes.put(flood.getKey(), flood.getValue().await(Duration.ofSeconds(90)));
                }
                Map<String, DatagramFlood.Result> sent = new LinkedHashMap<>();
                for (var flood : datagrams.entrySet()) {
                    sent.put(flood.getKey(), flood.getValue().await(Duration.ofSeconds(60)));
                }
                long floodMillis = millisSince(floodStart);
                var written = logs.since(mark);
                report(setupMillis, control, flooded, hangups, http, outcomes, sent, floodMillis, written, t0);
                if (hangupFailed != null) {
                    throw hangupFailed;
                }

                assertAudioKept(calls, control, flooded);
                assertAnswers(outcomes);
                for (var result : sent.values()) {
                    assertThat(result.sent()).isGreaterThanOrEqualTo(DATAGRAMS_PER_CALL);
                    assertThat(result.byKind()).containsOnlyKeys(HostileDatagrams.Kind.values());
                }
                assertThat(logs.stackTraces())
                        .as("stack traces in the service logs")
                        .isEmpty();
                // Every refusal is at most one rate-limited line (10 a minute per kind and service).
                assertThat(written)
                        .as("lines written during the flood")
                        .allSatisfy((service, lines) ->
                                assertThat(lines).as(service).isLessThan(200));
                assertAllReady();
            } finally {
                http.values().forEach(HttpFlood::close);
                datagrams.values().forEach(DatagramFlood::close);
            }
        }
    }

    // ---- the calls ----

    private static LiveCall placeWhatsAppCall(String callId, double tone) throws Exception {
        SyntheticPhone phone = stack.phone(callId, new PhoneOptions(null, PcmSource.silence(), 20, false));
        var call = new LiveCall(stack, callId, phone, tone);
        assertThat(whatsapp.connect(callId, phone.offer(), ECHO_NUMBER).statusCode())
                .isEqualTo(200);
        awaitConnected(call);
        return call;
    }

    private static LiveCall placeApiCall(String callId, double tone) throws Exception {
        SyntheticPhone phone = stack.phone(callId, new PhoneOptions(null, PcmSource.silence(), 20, false));
        var call = new LiveCall(stack, callId, phone, tone);
        var body = Webhooks.json()
                .createObjectNode()
                .put("callId", callId)
                .put("sdpOffer", phone.offer())
                .put("from", "447700900123")
                .put("to", "15550001906")
                .put("agent", "echo");
        var created = whatsapp.api("POST", "/v1/calls", body.toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        phone.acceptAnswer(
                Webhooks.json().readTree(created.body()).path("sdpAnswer").asText());
        assertThat(whatsapp.api("POST", "/v1/calls/" + callId + "/accepted", "").statusCode())
                .isEqualTo(204);
        awaitConnected(call);
        return call;
    }

    private static void awaitConnected(LiveCall call) {
        try {
            await().atMost(Duration.ofSeconds(45))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> stack.call(call.callId).phase() == CallPhase.Connected
                            && call.phone.stats().rtpReceived() > 50);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not connected: " + stack.describe(call.callId), e);
        }
    }

    /** One measured window: both phones speak, both ends' figures over three status writes. */
    record Window(Map<String, LiveCall.Figures> figures, Map<String, Boolean> heardItself) {}

    private static Window window(List<LiveCall> calls) {
        Map<String, LiveCall.Figures> before = new LinkedHashMap<>();
        for (LiveCall call : calls) {
            before.put(call.callId, call.freshFigures(Duration.ofSeconds(10)));
        }
        calls.forEach(LiveCall::speak);
        await().pollDelay(WINDOW).atMost(WINDOW.plusSeconds(1)).until(() -> true);
        Map<String, LiveCall.Figures> figures = new LinkedHashMap<>();
        Map<String, Boolean> heard = new LinkedHashMap<>();
        for (LiveCall call : calls) {
            figures.put(call.callId, call.freshFigures(Duration.ofSeconds(10)).since(before.get(call.callId)));
            LiveCall other = calls.get(calls.indexOf(call) == 0 ? 1 : 0);
            heard.put(call.callId, call.heardItself(other));
        }
        return new Window(figures, heard);
    }

    private static void assertAudioKept(List<LiveCall> calls, Window control, Window flooded) {
        for (LiveCall call : calls) {
            assertThat(control.heardItself().get(call.callId))
                    .as("%s hears its own %s Hz echoed without the flood", call.callId, call.tone)
                    .isTrue();
            assertThat(flooded.heardItself().get(call.callId))
                    .as("%s hears its own %s Hz echoed during the flood", call.callId, call.tone)
                    .isTrue();
            var before = control.figures().get(call.callId);
            var during = flooded.figures().get(call.callId);
            assertThat(during.workerLost())
                    .as("%s: caller packets lost (worker)", call.callId)
                    .isLessThanOrEqualTo(before.workerLost() + LOSS_SLACK);
            assertThat(during.workerConcealedMillis())
                    .as("%s: caller audio concealed by the worker, ms", call.callId)
                    .isLessThanOrEqualTo(before.workerConcealedMillis() + CONCEALED_SLACK_MILLIS);
            assertThat(during.phoneConcealedFrames())
                    .as("%s: agent audio concealed by the phone, frames", call.callId)
                    .isLessThanOrEqualTo(before.phoneConcealedFrames() + CONCEALED_SLACK_MILLIS / 20);
        }
    }

    // ---- the hang-ups, during the flood ----

    /**
     * One hang-up: when the test saw it done everywhere (ms after sending it, by polls every 20 ms
     * through the flooded ports) and when each party did its part, by its own clock.
     */
    record Hangup(long endedEverywhereMillis, String timeline) {
        @Override
        public String toString() {
            return endedEverywhereMillis + " ms (" + timeline + ")";
        }
    }

    /** The bridge owes WhatsApp a terminate: the fake Graph API must get it within the bound too. */
    private static Hangup hangUpThroughTheApi(
            LiveCall call, Map<String, HttpFlood> http, Map<String, DatagramFlood> datagrams) throws Exception {
        String worker = call.worker();
        long sessions = workerSessions(worker);
        assertStillFlooding(http, datagrams);
        Instant sentAt = Instant.now();
        long sent = System.nanoTime();
        var answer = whatsapp.api("DELETE", "/v1/calls/" + call.callId, null);
        long answered = millisSince(sent);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        // Told: the fake Graph API received the terminate (its answer is the fake's own business).
        var hangup = awaitEndedEverywhere(
                call, worker, sessions - 1, EndReason.ApiHangup, sent, sentAt, answered, () -> graphActions(call)
                        .contains("terminate"));
        assertThat(graphActions(call)).containsExactly("pre_accept", "accept", "terminate");
        return hangup;
    }

    /** The caller hung up: WhatsApp knows, and an API call never involves the Graph API. */
    private static Hangup hangUpThroughWhatsApp(
            LiveCall call, Map<String, HttpFlood> http, Map<String, DatagramFlood> datagrams) throws Exception {
        String worker = call.worker();
        long sessions = workerSessions(worker);
        assertStillFlooding(http, datagrams);
        Instant sentAt = Instant.now();
        long sent = System.nanoTime();
        var answer = whatsapp.terminate(call.callId, ECHO_NUMBER);
        long answered = millisSince(sent);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        var hangup = awaitEndedEverywhere(
                call, worker, sessions - 1, EndReason.CallerHangup, sent, sentAt, answered, () -> true);
        assertThat(graphActions(call)).isEmpty();
        return hangup;
    }

    private static void assertStillFlooding(Map<String, HttpFlood> http, Map<String, DatagramFlood> datagrams) {
        assertThat(datagrams.values()).as("datagram floods still running").noneMatch(DatagramFlood::isDone);
        assertThat(http.get("signaling").isDone()).as("signaling still flooded").isFalse();
    }

    /**
     * Waits (10 s at most, for a useful failure) until the call is ended everywhere — the
     * VoiceCall Ended with {@code reason} by its worker, the worker's session (media and agent)
     * gone from its sessions gauge, the Graph API told where owed — then holds the time that took
     * against {@link #HANGUP_BOUND}: from the moment the hang-up was sent to the first poll that
     * saw it all done, so the polls' own cost under the flood counts against the system, never for
     * it. Then the phone's last media datagram must be within the bound of the hang-up too.
     */
    private static Hangup awaitEndedEverywhere(
            LiveCall call,
            String worker,
            long sessionsLeft,
            EndReason reason,
            long sentNanos,
            Instant sentAt,
            long answeredMillis,
            java.util.concurrent.Callable<Boolean> graphTold) {
        long tookMillis;
        try {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions()
                    .until(() -> {
                        VoiceCall ended = stack.call(call.callId);
                        return ended.phase() == CallPhase.Ended
                                && ended.getStatus().getEnd().getReason() == reason
                                && ("media-worker/" + worker)
                                        .equals(ended.getStatus().getEnd().getBy())
                                && workerSessions(worker) <= sessionsLeft
                                && graphTold.call();
                    });
            tookMillis = millisSince(sentNanos);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "not ended everywhere 10 s after the hang-up: " + stack.describe(call.callId) + ", worker sessions "
                            + workerSessions(worker) + ", graph " + graphActions(call),
                    e);
        }
        var hangup = new Hangup(tookMillis, timeline(call, sentAt, answeredMillis));
        assertThat(Duration.ofMillis(tookMillis))
                .as("%s ended everywhere after the hang-up: %s", call.callId, hangup)
                .isLessThanOrEqualTo(HANGUP_BOUND);
        // The worker's media to the phone stopped by then too (sampled every 5 ms by LiveCall).
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
        assertThat(Duration.ofNanos(call.lastMediaNanos() - sentNanos))
                .as("%s: last media datagram the phone received, after the hang-up", call.callId)
                .isLessThanOrEqualTo(HANGUP_BOUND);
        return hangup;
    }

    private static List<String> graphActions(LiveCall call) {
        return stack.graph.requests(call.callId).stream()
                .map(GraphRequest::action)
                .toList();
    }

    /** When each party did its part of a hang-up, in ms after it was sent (wall clocks of one host). */
    private static String timeline(LiveCall call, Instant sentAt, long answeredMillis) {
        var c = stack.call(call.callId);
        var wa = c.getStatus().getWhatsapp();
        var out = new StringBuilder("answered +" + answeredMillis);
        if (c.getSpec().getHangup() != null) {
            out.append(", requested ").append(after(sentAt, c.getSpec().getHangup().getRequestedAt()));
        }
        out.append(", ended by the worker ")
                .append(after(sentAt, c.getStatus().getEnd().getAt()))
                .append(", Ended recorded by the operator ")
                .append(after(sentAt, c.getStatus().getTimestamps().getEndedAt()));
        if (wa != null && wa.getTerminate() != null) {
            out.append(", terminate completed ").append(after(sentAt, wa.getTerminate().getCompletedAt()));
        }
        return out.toString();
    }

    private static String after(Instant sentAt, String at) {
        if (at == null) {
            return "-";
        }
        long millis = Duration.between(sentAt, Instant.parse(at)).toMillis();
        return (millis >= 0 ? "+" : "") + millis;
    }

    /** The worker's {@code voicebridge_worker_sessions} gauge, from its metrics port (flooded too). */
    private static long workerSessions(String worker) {
        var reply = new RawHttp(stack.workerHttp(worker))
                .request("GET", "/metrics", Map.of("Accept", "text/plain"), new byte[0]);
        var gauge = java.util.regex.Pattern.compile("(?m)^voicebridge_worker_sessions(\\{[^}]*})? ([0-9.]+)$")
                .matcher(reply.body());
        if (!gauge.find()) {
            throw new IllegalStateException("no sessions gauge in the metrics of " + worker);
        }
        return (long) Double.parseDouble(gauge.group(2));
    }

    // ---- the HTTP flood ----

    private static Map<String, HttpFlood> startHttpFloods(String targetCallId) {
        var signaling = SignalingAttacks.all(
                new SignalingAttacks.SignalingTarget(
                        E2eStack.APP_SECRET, "e2e-verify", E2eStack.API_TOKEN, "echo", targetCallId, 1_048_576, null),
                SEED);
        Map<String, HttpFlood> floods = new LinkedHashMap<>();
        floods.put(
                "signaling", HttpFlood.start(new RawHttp(stack.signalingHttp()), signaling, HTTP_CONCURRENCY, FLOOD));
        floods.put(
                "operator",
                HttpFlood.start(
                        new RawHttp(stack.operatorHttp()),
                        HostileRequests.operational(OPERATIONAL, HTTP_PER_SURFACE, SEED + 1),
                        HTTP_CONCURRENCY,
                        FLOOD));
        int n = 2;
        for (String worker : E2eStack.WORKERS) {
            floods.put(
                    worker,
                    HttpFlood.start(
                            new RawHttp(stack.workerHttp(worker)),
                            HostileRequests.operational(OPERATIONAL, HTTP_PER_SURFACE, SEED + n++),
                            HTTP_CONCURRENCY,
                            FLOOD));
        }
        return floods;
    }

    /**
     * signaling-service and the workers (Helidon): every answer the documented problem of the
     * attack. The operator (the JDK HTTP server): see {@link OperatorAnswers}.
     */
    private static void assertAnswers(Map<String, List<HttpFlood.Outcome>> outcomes) {
        for (var surface : outcomes.entrySet()) {
            String name = surface.getKey();
            long answered = surface.getValue().stream()
                    .filter(o -> o.attack().answerExpected())
                    .count();
            List<String> wrong = wrongAnswers(name, surface.getValue());
            assertThat(answered).as("%s: hostile requests answered", name).isGreaterThanOrEqualTo(HTTP_PER_SURFACE);
            assertThat(wrong).as("%s: wrong answers (%d)", name, wrong.size()).isEmpty();
        }
    }

    /** The answers of one surface that are not its documented refusal of the attack. */
    private static List<String> wrongAnswers(String surface, List<HttpFlood.Outcome> outcomes) {
        Map<String, BiFunction<HttpFlood.Outcome, Set<String>, String>> verdicts = Map.of(
                "signaling", HttpFlood.Outcome::verdict,
                "worker-a", HttpFlood.Outcome::verdict,
                "worker-b", HttpFlood.Outcome::verdict,
                "operator", OperatorAnswers::verdict);
        Map<String, Set<String>> documented = Map.of(
                "signaling", DocumentedProblems.signaling(),
                "worker-a", DocumentedProblems.mediaWorker(),
                "worker-b", DocumentedProblems.mediaWorker(),
                "operator", DocumentedProblems.operator());
        List<String> wrong = new ArrayList<>();
        for (var outcome : outcomes) {
            if (!outcome.attack().answerExpected()) {
                continue;
            }
            String verdict = verdicts.get(surface).apply(outcome, documented.get(surface));
            if (verdict != null) {
                wrong.add(outcome.attack().kind() + " -> " + verdict);
            }
        }
        return wrong;
    }

    private static void assertAllReady() throws Exception {
        var probe = java.net.http.HttpClient.newHttpClient();
        for (InetSocketAddress port : List.of(
                stack.signalingHttp(),
                stack.operatorHttp(),
                stack.workerHttp("worker-a"),
                stack.workerHttp("worker-b"))) {
            var ready = probe.send(
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://127.0.0.1:" + port.getPort() + "/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as("ready after the flood: %s", port).isEqualTo(200);
        }
    }

    // ---- what it took ----

    private static void report(
            long setupMillis,
            Window control,
            Window flooded,
            Map<String, Hangup> hangups,
            Map<String, HttpFlood> http,
            Map<String, List<HttpFlood.Outcome>> outcomes,
            Map<String, DatagramFlood.Result> sent,
            long floodMillis,
            Map<String, Integer> written,
            long t0) {
        var out = new StringBuilder("abuse e2e: stack up in ")
                .append(startupMillis)
                .append(" ms, calls set up in ");
        out.append(setupMillis).append(" ms\n");
        out.append("  control ")
                .append(control)
                .append("\n  flooded ")
                .append(flooded)
                .append('\n');
        hangups.forEach((how, hangup) -> out.append("  hang-up by ")
                .append(how)
                .append(": ended everywhere after ")
                .append(hangup)
                .append('\n'));
        for (var surface : outcomes.entrySet()) {
            Map<String, Integer> seen = new TreeMap<>();
            for (var outcome : surface.getValue()) {
                if (outcome.reply() != null) {
                    seen.merge(outcome.reply().status() + " " + outcome.code(), 1, Integer::sum);
                }
            }
            out.append(String.format(
                    "  http %s: %d requests in %d ms: %s%n",
                    surface.getKey(),
                    surface.getValue().size(),
                    http.get(surface.getKey()).took().toMillis(),
                    seen));
            Map<String, Map<Integer, Integer>> bare = new TreeMap<>();
            for (var outcome : surface.getValue()) {
                if (outcome.reply() != null
                        && !"application/problem+json".equals(outcome.reply().header("content-type"))) {
                    bare.computeIfAbsent(outcome.attack().kind(), k -> new TreeMap<>())
                            .merge(outcome.reply().status(), 1, Integer::sum);
                }
            }
            if (!bare.isEmpty()) {
                out.append("    not problem+json, by attack: ").append(bare).append('\n');
            }
            Map<String, Integer> wrong = new TreeMap<>();
            for (String line : wrongAnswers(surface.getKey(), surface.getValue())) {
                wrong.merge(line.length() > 160 ? line.substring(0, 160) : line, 1, Integer::sum);
            }
            wrong.forEach((line, n) -> out.append("    wrong x")
                    .append(n)
                    .append(": ")
                    .append(line)
                    .append('\n'));
        }
        sent.forEach((call, result) -> out.append(String.format(
                "  datagrams at %s's worker: %d in %d ms %s%n",
                call, result.sent(), result.took().toMillis(), result.byKind())));
        out.append("  flood ")
                .append(floodMillis)
                .append(" ms; log lines written during it: ")
                .append(written);
        out.append("\n  test ").append(millisSince(t0)).append(" ms after the stack was up");
        System.out.println(out);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
