package dev.voicebridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.abuse.DatagramFlood;
import dev.voicebridge.testkit.abuse.HostileDatagrams;
import dev.voicebridge.testkit.abuse.HttpFlood;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole system under attack (issue 11): while two live calls run — one placed by WhatsApp's
 * signed webhook (the bridge accepts it), one through the call API — every HTTP port of every
 * service gets over a thousand malformed or hostile requests (signaling's webhook, call API and
 * operational endpoints; the operator's and each worker's health and metrics port) and each
 * worker's media port 100,000 hostile datagrams of every class, half of them from the attacked
 * call's own peer socket ({@link AbuseTraffic}). Then, with the flood still running, one call is
 * hung up through the call API and the other by WhatsApp's terminate webhook.
 *
 * <p>It asserts: no 500 from any service, every answer the documented problem of its service and
 * attack, no stack trace in any service's log and a few rate-limited lines at most, both calls
 * keeping their audio (each phone hears its own tone echoed; loss and concealment no worse than in
 * a control window under the harmless twin of the same traffic, so that what is measured is the
 * hostility, not the machine's load), and each hang-up, sent while the flood runs, ending the call
 * everywhere within {@link #HANGUP_BOUND} — not queued behind the flood: the worker's media and
 * agent stopped and the end written, the VoiceCall Ended, the operator setting out to tell
 * WhatsApp where the bridge owes it a terminate (and WhatsApp told soon after), the phone
 * receiving no more media. Deterministic (seeded) and bounded; it prints what it measured (the
 * milliseconds, which docs/security.md records).
 */
@Timeout(300)
class AbuseE2E {
    static final long SEED = 20_261_206L;
    /** The echo agent's WhatsApp number: calls to it are answered by the embedded echo agent. */
    static final String ECHO_NUMBER = "518638374670001";
    /**
     * How long each flood lasts: the measured window (three status writes, after waiting up to a
     * write interval per call on either side, so 6 to 14 s) and both hang-ups (about 1.5 s each
     * with the checks after them) fit in it, so they all happen under the flood; the 100,000
     * datagrams a call take about 21 s at {@link AbuseTraffic#BURST}.
     */
    static final Duration FLOOD = Duration.ofSeconds(22);
    /** Three status writes of the workers (every 2 s here). */
    static final Duration WINDOW = Duration.ofSeconds(6);

    /**
     * A ceiling, not the figure: a hang-up queued behind the flood would wait for its backlog (the
     * 100,000 datagrams a call take about 21 s; each hang-up is sent with 5 s or more of the flood
     * still to come), which this bound catches on any machine. On a quiet machine the parties act in 60–500 ms; with every service, both floods and the phones
     * on two cores of a busy host, up to 1.5 s was measured (the hang-up's own HTTP answer then
     * took 1.3 s), so a 1 s bound failed for the machine, not the product.
     */
    static final Duration HANGUP_BOUND = Duration.ofSeconds(3);
    /** As TransportRobustnessIT: the flood may cost what harmless traffic costs, not audio. */
    static final long LOSS_SLACK = 5;

    static final long CONCEALED_SLACK_MILLIS = 200;
    /**
     * Concealment the hostile flood may add beyond the harmless control, as a share of the
     * measured window. Here every service, both floods' senders and the phones share two cores
     * (often with other builds), and a window's concealment swings with the machine's load: 0 to
     * 1.9 s per ~8.7 s window was measured in either window, the harmless control included, while
     * no run lost a packet. Losing packets is what a disturbed receive path does, so that bound
     * stays strict ({@link #LOSS_SLACK}); the isolated worker holds the strict concealment bound
     * (TransportRobustnessIT). The defect this guards against concealed 57% (2.3 s of 4 s).
     */
    static final double CONCEALED_SHARE = 0.15;
    /**
     * Lines a service may write while flooded: each kind of refusal is one rate-limited key, 10
     * lines a minute (datagrams: one line per kind every 10 s); a service meets at most a couple
     * of dozen kinds in this flood, which lasts under a minute. A line per bad input would be over
     * 1,000 (HTTP) or 100,000 (datagrams).
     */
    static final int LINES_BOUND = 200;

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

            // Control: the harmless twin of the flood, at the same pace from the same senders.
            Window control;
            try (var harmless = AbuseTraffic.harmless(stack, calls, stranger, FLOOD)) {
                control = window(calls);
            }

            // The flood, from every side at once.
            var mark = logs.mark();
            long floodStart = System.nanoTime();
            try (var flood = AbuseTraffic.hostile(stack, calls, stranger, bridged.callId, SEED, FLOOD)) {
                var flooded = window(calls);
                Map<String, Hangup> hangups = new LinkedHashMap<>();
                AssertionError hangupFailed = null;
                try {
                    hangups.put("call API DELETE", hangUpThroughTheApi(bridged, flood));
                    hangups.put("terminate webhook", hangUpThroughWhatsApp(api, flood));
                } catch (AssertionError e) {
                    hangupFailed = e; // thrown once the flood's outcome is reported too
                }

                // Every request answered, every datagram sent.
                Map<String, List<HttpFlood.Outcome>> outcomes = new LinkedHashMap<>();
                for (var http : flood.http().entrySet()) {
                    outcomes.put(http.getKey(), http.getValue().await(Duration.ofSeconds(90)));
                }
                Map<String, DatagramFlood.Result> sent = new LinkedHashMap<>();
                for (var datagrams : flood.datagrams().entrySet()) {
                    sent.put(datagrams.getKey(), datagrams.getValue().await(Duration.ofSeconds(60)));
                }
                long floodMillis = millisSince(floodStart);
                var written = logs.since(mark);
                AbuseReport.print(
                        startupMillis,
                        setupMillis,
                        control,
                        flooded,
                        hangups,
                        flood,
                        outcomes,
                        sent,
                        floodMillis,
                        written,
                        t0);
                if (hangupFailed != null) {
                    throw hangupFailed;
                }

                assertAudioKept(calls, control, flooded);
                assertAnswers(outcomes);
                for (var result : sent.values()) {
                    assertThat(result.sent()).isGreaterThanOrEqualTo(AbuseTraffic.DATAGRAMS_PER_CALL);
                    assertThat(result.byKind())
                            .as("datagrams sent by kind")
                            .containsOnlyKeys(HostileDatagrams.Kind.values());
                }
                assertThat(logs.stackTraces())
                        .as("stack traces in the service logs")
                        .isEmpty();
                assertThat(written)
                        .as("lines written during the flood")
                        .allSatisfy((service, lines) ->
                                assertThat(lines).as(service).isLessThan(LINES_BOUND));
                assertAllReady();
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
            long slack = Math.max(CONCEALED_SLACK_MILLIS, (long) (during.spanMillis() * CONCEALED_SHARE));
            assertThat(during.workerConcealedMillis())
                    .as("%s: caller audio concealed by the worker in %d ms, ms", call.callId, during.spanMillis())
                    .isLessThanOrEqualTo(before.workerConcealedMillis() + slack);
            assertThat(during.phoneConcealedFrames())
                    .as("%s: agent audio concealed by the phone in %d ms, frames", call.callId, during.spanMillis())
                    .isLessThanOrEqualTo(before.phoneConcealedFrames() + slack / 20);
        }
    }

    // ---- the hang-ups, during the flood ----

    /**
     * One hang-up, in ms after it was sent: when its HTTP answer came, and when each party did its
     * part by its own clock (one host, one wall clock) — the worker ended the call (stamped after
     * its media and agent stopped), the operator recorded the VoiceCall Ended, WhatsApp's terminate
     * requested and completed (null when none is owed), the phone received its last media datagram — and when
     * the test, polling through the flooded ports every 100 ms, first saw it all.
     */
    record Hangup(
            long answered,
            long workerEnded,
            long operatorEnded,
            Long terminateRequested,
            Long terminated,
            long lastMedia,
            long seen) {
        /**
         * What must be within the bound: the worker's end, the VoiceCall Ended, the phone's last
         * media, and where owed the operator setting out to tell WhatsApp ({@code requestedAt},
         * written ahead of the request). The Graph API's answer comes on top: a round trip to
         * WhatsApp that the call's end does not wait for (here to a fake in the test's own JVM,
         * 250 to 800 ms under the flood); it must have come by the time the test looks.
         */
        List<Long> parties() {
            var all = new ArrayList<>(List.of(workerEnded, operatorEnded, lastMedia));
            if (terminateRequested != null) {
                all.add(terminateRequested);
            }
            return all;
        }

        @Override
        public String toString() {
            return "answered +" + answered + ", worker ended +" + workerEnded + ", VoiceCall Ended +" + operatorEnded
                    + (terminated == null
                            ? ""
                            : ", terminate requested +" + terminateRequested + " completed +" + terminated)
                    + ", last media +"
                    + lastMedia + "; seen by the test +" + seen;
        }
    }

    /** The bridge owes WhatsApp a terminate: the Graph API must have it within the bound too. */
    private static Hangup hangUpThroughTheApi(LiveCall call, AbuseTraffic flood) throws Exception {
        String worker = call.worker();
        long sessions = workerSessions(worker);
        assertThat(flood.stillRunning()).as("flood still running").isTrue();
        Instant sentAt = Instant.now();
        long sent = System.nanoTime();
        var answer = whatsapp.api("DELETE", "/v1/calls/" + call.callId, null);
        long answered = millisSince(sent);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        var hangup =
                awaitEndedEverywhere(call, worker, sessions - 1, EndReason.ApiHangup, sent, sentAt, answered, true);
        assertThat(graphActions(call)).containsExactly("pre_accept", "accept", "terminate");
        return hangup;
    }

    /** The caller hung up: WhatsApp knows, and an API call never involves the Graph API. */
    private static Hangup hangUpThroughWhatsApp(LiveCall call, AbuseTraffic flood) throws Exception {
        String worker = call.worker();
        long sessions = workerSessions(worker);
        assertThat(flood.stillRunning()).as("flood still running").isTrue();
        Instant sentAt = Instant.now();
        long sent = System.nanoTime();
        var answer = whatsapp.terminate(call.callId, ECHO_NUMBER);
        long answered = millisSince(sent);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        var hangup =
                awaitEndedEverywhere(call, worker, sessions - 1, EndReason.CallerHangup, sent, sentAt, answered, false);
        assertThat(graphActions(call)).isEmpty();
        return hangup;
    }

    /**
     * Waits (10 s at most, so a failure says how late) until the call is ended everywhere — the
     * VoiceCall Ended with {@code reason} by its worker, the worker's session gone from its
     * sessions gauge, WhatsApp's terminate completed where owed — then holds each party's own time
     * for its part against {@link #HANGUP_BOUND} (see {@link Hangup#parties}). The test's polls go through the same flooded
     * ports and an API server in the test's own JVM; the parties' clocks say when they acted.
     */
    private static Hangup awaitEndedEverywhere(
            LiveCall call,
            String worker,
            long sessionsLeft,
            EndReason reason,
            long sentNanos,
            Instant sentAt,
            long answered,
            boolean terminateOwed) {
        long seen;
        try {
            // Every 100 ms: the polls load the very API server and worker port they measure, and
            // the bound is held on the parties' own stamps, not on when a poll saw them.
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> {
                        VoiceCall ended = stack.call(call.callId);
                        var wa = ended.getStatus().getWhatsapp();
                        return ended.phase() == CallPhase.Ended
                                && ended.getStatus().getEnd().getReason() == reason
                                && ("media-worker/" + worker)
                                        .equals(ended.getStatus().getEnd().getBy())
                                && workerSessions(worker) <= sessionsLeft
                                && (!terminateOwed || wa.getTerminate().getCompletedAt() != null);
                    });
            seen = millisSince(sentNanos);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "not ended everywhere 10 s after the hang-up: " + stack.describe(call.callId) + ", worker sessions "
                            + workerSessions(worker) + ", graph " + graphActions(call),
                    e);
        }
        // The phone's last media datagram (sampled every 5 ms by LiveCall): none for a while now.
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
        var c = stack.call(call.callId);
        var hangup = new Hangup(
                answered,
                after(sentAt, c.getStatus().getEnd().getAt()),
                after(sentAt, c.getStatus().getTimestamps().getEndedAt()),
                terminateOwed
                        ? after(
                                sentAt,
                                c.getStatus().getWhatsapp().getTerminate().getRequestedAt())
                        : null,
                terminateOwed
                        ? after(
                                sentAt,
                                c.getStatus().getWhatsapp().getTerminate().getCompletedAt())
                        : null,
                (call.lastMediaNanos() - sentNanos) / 1_000_000,
                seen);
        assertThat(hangup.parties())
                .as("%s: each party's part of the hang-up, ms after it was sent (%s)", call.callId, hangup)
                .allSatisfy(millis -> assertThat(millis).isLessThanOrEqualTo(HANGUP_BOUND.toMillis()));
        return hangup;
    }

    private static List<String> graphActions(LiveCall call) {
        return stack.graph.requests(call.callId).stream()
                .map(GraphRequest::action)
                .toList();
    }

    private static Long after(Instant sentAt, String at) {
        return Duration.between(sentAt, Instant.parse(at)).toMillis();
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

    // ---- the HTTP answers ----

    private static void assertAnswers(Map<String, List<HttpFlood.Outcome>> outcomes) {
        for (var surface : outcomes.entrySet()) {
            String name = surface.getKey();
            long answered = surface.getValue().stream()
                    .filter(o -> o.attack().answerExpected())
                    .count();
            List<String> wrong = AbuseTraffic.wrongAnswers(name, surface.getValue());
            assertThat(answered)
                    .as("%s: hostile requests answered", name)
                    .isGreaterThanOrEqualTo(AbuseTraffic.HTTP_PER_SURFACE);
            assertThat(wrong).as("%s: wrong answers (%d)", name, wrong.size()).isEmpty();
        }
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

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
