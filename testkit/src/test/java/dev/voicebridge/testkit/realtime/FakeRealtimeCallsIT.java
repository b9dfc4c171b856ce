package dev.voicebridge.testkit.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.media.sdp.IceCandidate;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SharedPhonePort;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.testkit.ws.WsProbe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fake's WebRTC calls mode, driven as the media worker drives OpenAI: a {@link SyntheticPhone}
 * that offers as a full ICE agent (the worker's offer shape), the JDK HttpClient for {@code POST
 * /v1/realtime/calls} and the hang-up, the JDK WebSocket client for the sideband; real sockets on
 * 127.0.0.1, real DTLS-SRTP and Opus between the caller and the model's phone. The model's phones
 * have a socket each, or share one port as OpenAI's media servers do ({@link
 * FakeRealtimeServer#acceptCallsOnOnePort}), where two calls checking from one address collide.
 */
@Timeout(60)
class FakeRealtimeCallsIT {
    private static final String TOKEN = "sk-fake";
    private static final String SESSION =
            "{\"type\":\"realtime\",\"model\":\"gpt-realtime-2.1\",\"instructions\":\"bench call 7\"}";
    private static final String GA_UPDATE = """
            {"type":"session.update","session":{"type":"realtime","instructions":"be brief",
             "audio":{"input":{"transcription":{"model":"gpt-4o-mini-transcribe"},
                               "turn_detection":{"type":"server_vad","silence_duration_ms":200}},
                      "output":{"voice":"marin"}}}}""";
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private PhoneHost callers;
    private PhoneHost modelPhones;
    private FakeRealtimeServer server;

    /** A call as the worker holds it: its caller-side peer, the call id, the model's answer. */
    record Dialled(SyntheticPhone caller, String id, String answer) {}

    @BeforeEach
    void start() throws Exception {
        callers = PhoneHost.start();
        modelPhones = PhoneHost.start();
        server = FakeRealtimeServer.start(TOKEN).acceptCalls(modelPhones, LOOPBACK);
    }

    @AfterEach
    void stop() throws Exception {
        for (var c : closing) {
            c.close();
        }
        server.close();
        modelPhones.close();
        callers.close();
        http.close();
    }

    // ---- creating calls

    @Test
    void createsACallAnsweredAsOpenAiWithItsIdInLocation() throws Exception {
        var caller = callers.newPhone(LOOPBACK, PhoneOptions.defaults());
        var response = post(server.callsUri(), TOKEN, multipartType(), multipart(caller.fullIceOffer(), SESSION));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/sdp");
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/v1/realtime/calls/rtc_[A-Za-z0-9_-]+");
        assertThat(response.body()).startsWith("v=0\r\n").contains("\r\na=setup:active\r\n");

        caller.acceptIceLiteAnswer(response.body());
        assertThat(caller.awaitConnected(Duration.ofSeconds(10))).isTrue();
        String id = location.substring(location.lastIndexOf('/') + 1);
        var call = server.call(id).orElseThrow();
        assertThat(call.session().path("model").asText()).isEqualTo("gpt-realtime-2.1");
        assertThat(call.answer()).isEqualTo(response.body());
        assertThat(call.hungUp()).isFalse();
        assertThat(call.sidebandConnected()).isFalse();
        // the model's peer sends from the moment DTLS is up (silence), as OpenAI's does
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.stats().rtpReceived() > 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> call.phone().mediaDatagramsReceived() > 10);
    }

    @Test
    void refusesAWrongKeyBadBodiesAndUnknownCalls() throws Exception {
        var caller = callers.newPhone(LOOPBACK, PhoneOptions.defaults());
        String offer = caller.fullIceOffer();

        assertError(
                post(server.callsUri(), "sk-wrong", multipartType(), multipart(offer, SESSION)),
                401,
                "invalid_api_key");
        assertError(post(server.callsUri(), TOKEN, "application/sdp", offer), 400, "invalid_request_error");
        assertError(
                post(
                        server.callsUri(),
                        TOKEN,
                        multipartType(),
                        part("session", "application/json", SESSION) + "--b0und--\r\n"),
                400,
                "missing_required_parameter");
        assertError(
                post(server.callsUri(), TOKEN, multipartType(), multipart("v=0\r\nnot an offer\r\n", SESSION)),
                400,
                "invalid_offer");
        assertError(
                post(
                        server.callsUri(),
                        TOKEN,
                        multipartType(),
                        multipart(offer, "{\"type\":\"realtime\",\"voice\":\"x\"}")),
                400,
                "unknown_parameter");
        var tooBig = post(
                server.callsUri(),
                TOKEN,
                multipartType(),
                multipart(offer + "a=x:" + "y".repeat(70_000) + "\r\n", SESSION));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertError(post(hangupUri("rtc_nosuchcall"), TOKEN, null, null), 404, "call_not_found");
        assertError(post(hangupUri("rtc_nosuchcall"), "sk-wrong", null, null), 401, "invalid_api_key");
        assertThat(server.calls()).isEmpty();

        // the sideband of a call that does not exist is refused at the handshake
        assertThatThrownBy(() -> sideband("rtc_nosuchcall"))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(404));
        // a plain GET of the WebSocket path is still told to upgrade
        var get = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + server.baseUri().getPort() + "/v1/realtime"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(426);
    }

    // ---- the sideband and the media

    @Test
    void sidebandSteersTheSessionAndTheCallerHearsTheGreeting() throws Exception {
        var appended = new ConcurrentHashMap<Integer, Integer>();
        var sentFrames = new ConcurrentHashMap<Integer, Integer>();
        var instructions = new CopyOnWriteArrayList<String>();
        server.observe(new FakeRealtimeServer.Observer() {
            @Override
            public void sessionUpdated(int connection, String text) {
                instructions.add(connection + ":" + text);
            }

            @Override
            public void appended(int connection, short[] pcm, long nanoTime) {
                appended.merge(connection, 1, Integer::sum);
            }

            @Override
            public void audioSent(int connection, String itemId, int offsetSamples, long nanoTime) {
                sentFrames.merge(connection, 1, Integer::sum);
            }
        });
        server.greetWith(ResponseAudio.tone(660, 600));
        var d = dial();
        var call = server.call(d.id()).orElseThrow();
        var sideband = sideband(d.id());
        awaitEvents(sideband, "session.created", 1);
        assertThat(call.sidebandConnected()).isTrue();

        sideband.send(GA_UPDATE);
        awaitEvents(sideband, "session.updated", 1);
        d.caller().startRecording();
        sideband.send("{\"type\":\"response.create\",\"response\":{\"instructions\":\"greet the caller\"}}");
        awaitEvents(sideband, "output_audio_buffer.stopped", 1);

        var types = sideband.events().stream().map(e -> e.path("type").asText()).toList();
        // the response is generated faster than it plays: response.done may come before or after the start
        assertThat(types)
                .containsSubsequence("response.created", "output_audio_buffer.started", "output_audio_buffer.stopped")
                .containsSubsequence("response.created", "response.done")
                .contains("response.output_audio_transcript.delta", "response.output_audio_transcript.done")
                .doesNotContain("response.output_audio.delta", "error");
        String responseId = sideband.events("response.created")
                .get(0)
                .path("response")
                .path("id")
                .asText();
        assertThat(sideband.events("output_audio_buffer.started")
                        .get(0)
                        .path("response_id")
                        .asText())
                .isEqualTo(responseId);
        assertThat(sideband.events("output_audio_buffer.stopped")
                        .get(0)
                        .path("response_id")
                        .asText())
                .isEqualTo(responseId);
        assertThat(sideband.events("response.done")
                        .get(0)
                        .path("response")
                        .path("status")
                        .asText())
                .isEqualTo("completed");
        assertThat(sideband.events("response.done")
                        .get(0)
                        .path("response")
                        .path("usage")
                        .path("output_tokens")
                        .asLong())
                .isPositive();
        assertThat(sideband.events("response.output_audio_transcript.done")
                        .get(0)
                        .path("transcript")
                        .asText())
                .isEqualTo("tone 660 Hz 600 ms");

        await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ofMillis(300)).until(() -> true);
        assertTone(d.caller().recording(), 660, 400);
        // the observer sees the call as one connection: its instructions, its caller audio, its frames
        assertThat(instructions).contains(call.connection() + ":bench call 7", call.connection() + ":be brief");
        assertThat(appended.getOrDefault(call.connection(), 0)).isPositive();
        assertThat(sentFrames.get(call.connection())).isEqualTo(600 / 20);
    }

    @Test
    void callerSpeechIsHeardTranscribedAndAnswered() throws Exception {
        server.respondWith(ResponseAudio.tone(440, 500));
        var d = dial();
        var sideband = sideband(d.id());
        sideband.send(GA_UPDATE);
        awaitEvents(sideband, "session.updated", 1);

        d.caller().startRecording();
        d.caller().play(PcmSource.of(Signals.tone(300, 0.3, 600)));
        awaitEvents(sideband, "output_audio_buffer.stopped", 1);

        var types = sideband.events().stream().map(e -> e.path("type").asText()).toList();
        assertThat(types)
                .containsSubsequence(
                        "input_audio_buffer.speech_started",
                        "input_audio_buffer.speech_stopped",
                        "input_audio_buffer.committed",
                        "conversation.item.input_audio_transcription.completed",
                        "response.created",
                        "output_audio_buffer.started",
                        "output_audio_buffer.stopped")
                .containsSubsequence("response.created", "response.done")
                .doesNotContain("response.output_audio.delta", "error");
        assertThat(sideband.events("conversation.item.input_audio_transcription.completed")
                        .get(0)
                        .path("transcript")
                        .asText())
                .isEqualTo("hello from the caller");

        await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ofMillis(300)).until(() -> true);
        assertTone(d.caller().recording(), 440, 300);
        // what the model heard is the caller's tone, through Opus
        var call = server.call(d.id()).orElseThrow();
        assertTone(call.heard(), 300, 400);
        assertThat(server.utterances()).hasSize(1);
    }

    @Test
    void callerSpeechCutsTheModelsAudioAndClearsTheBuffer() throws Exception {
        server.greetWith(ResponseAudio.tone(660, 4000));
        var d = dial();
        var call = server.call(d.id()).orElseThrow();
        var sideband = sideband(d.id());
        sideband.send(GA_UPDATE);
        awaitEvents(sideband, "session.updated", 1);

        sideband.send("{\"type\":\"response.create\",\"response\":{\"instructions\":\"greet\"}}");
        awaitEvents(sideband, "output_audio_buffer.started", 1);
        Thread.sleep(300);
        d.caller().play(PcmSource.of(Signals.tone(300, 0.3, 400)));
        awaitEvents(sideband, "output_audio_buffer.cleared", 1);

        assertThat(call.speaking()).isFalse();
        var types = sideband.events().stream().map(e -> e.path("type").asText()).toList();
        assertThat(types).containsSubsequence("input_audio_buffer.speech_started", "output_audio_buffer.cleared");
        assertThat(types).doesNotContain("output_audio_buffer.stopped");
        String greeting = sideband.events("response.created")
                .get(0)
                .path("response")
                .path("id")
                .asText();
        assertThat(sideband.events("output_audio_buffer.cleared")
                        .get(0)
                        .path("response_id")
                        .asText())
                .isEqualTo(greeting);
        // the 4 s greeting was cut after about half a second
        d.caller().startRecording();
        Thread.sleep(600);
        short[] after = d.caller().recording();
        assertThat(AudioAnalysis.toneFrames(after, 660)).isLessThan(5);
    }

    @Test
    void cancelAndClearStopTheAudioOverTheCall() throws Exception {
        server.greetWith(ResponseAudio.tone(660, 4000)).respondWith(ResponseAudio.tone(440, 4000));
        var d = dial();
        var call = server.call(d.id()).orElseThrow();
        var sideband = sideband(d.id());
        awaitEvents(sideband, "session.created", 1);
        // generation as slow as real time, so the cancel finds the response active
        server.streaming(20, 20);

        sideband.send("{\"type\":\"response.create\",\"response\":{\"instructions\":\"greet\"}}");
        awaitEvents(sideband, "output_audio_buffer.started", 1);
        sideband.send("{\"type\":\"response.cancel\"}");
        awaitEvents(sideband, "output_audio_buffer.cleared", 1);
        awaitEvents(sideband, "response.done", 1);
        assertThat(sideband.events("response.done")
                        .get(0)
                        .path("response")
                        .path("status")
                        .asText())
                .isEqualTo("cancelled");
        assertThat(call.speaking()).isFalse();

        sideband.send("{\"type\":\"response.create\"}");
        awaitEvents(sideband, "output_audio_buffer.started", 2);
        sideband.send("{\"type\":\"output_audio_buffer.clear\"}");
        awaitEvents(sideband, "output_audio_buffer.cleared", 2);
        assertThat(call.speaking()).isFalse();
        assertThat(sideband.events("error")).isEmpty();
    }

    @Test
    void appendOnTheSidebandIsAnErrorAndTheSessionGoesOn() throws Exception {
        var d = dial();
        var sideband = sideband(d.id());
        awaitEvents(sideband, "session.created", 1);

        sideband.append(new short[480]);
        sideband.send(GA_UPDATE);
        awaitEvents(sideband, "session.updated", 1);

        var error = sideband.events("error").get(0).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText()).contains("input_audio_buffer.append", "WebRTC");
        assertThat(sideband.closeCode).isEqualTo(-1);
        assertThat(server.received("input_audio_buffer.append")).hasSize(1);
    }

    // ---- ending calls

    @Test
    void hangupEndsTheCallAndClosesItsSideband() throws Exception {
        var d = dial();
        var call = server.call(d.id()).orElseThrow();
        var sideband = sideband(d.id());
        awaitEvents(sideband, "session.created", 1);
        assertThat(server.openConnections()).isEqualTo(1);

        var hangup = post(hangupUri(d.id()), TOKEN, null, null);
        assertThat(hangup.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> sideband.closeCode == 1000);
        assertThat(call.hungUp()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
        // the model's peer stopped sending
        long received = d.caller().stats().rtpReceived();
        Thread.sleep(300);
        assertThat(d.caller().stats().rtpReceived()).isLessThanOrEqualTo(received + 1);

        assertError(post(hangupUri(d.id()), TOKEN, null, null), 404, "call_not_found");
        assertThatThrownBy(() -> sideband(d.id()))
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(404));
    }

    @Test
    void twoCallsAtOnceStaySeparate() throws Exception {
        var a = dial();
        var b = dial();
        assertTwoCallsTalkApart(a, b);
    }

    // ---- every call on one port, as OpenAI answers

    @Test
    void twoCallsFromTheirOwnPortsToOnePortStaySeparate() throws Exception {
        var port = acceptCallsOnOnePort();
        var a = offer();
        var b = offer();
        // both answers name the one port, and both calls check, handshake and talk at once
        assertThat(candidatePort(a.answer())).isEqualTo(port.localAddress().getPort());
        assertThat(candidatePort(b.answer())).isEqualTo(port.localAddress().getPort());
        connect(a, b);
        assertThat(server.call(a.id()).orElseThrow().phone().localAddress()).isEqualTo(port.localAddress());
        assertThat(server.call(b.id()).orElseThrow().phone().localAddress()).isEqualTo(port.localAddress());

        assertTwoCallsTalkApart(a, b);
        assertThat(port.rebound()).isZero();
        assertThat(port.unroutable()).isZero();
    }

    @Test
    void aCheckForAnotherCallFromACallersAddressTakesItsMediaOnOnePort() throws Exception {
        var port = acceptCallsOnOnePort();
        var a = dial();
        var b = dial();
        var modelA = server.call(a.id()).orElseThrow().phone();
        var modelB = server.call(b.id()).orElseThrow().phone();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> modelA.mediaDatagramsReceived() > 10 && modelB.mediaDatagramsReceived() > 10);
        // a check for B from A's address that fails authentication moves nothing
        long badAtB = modelB.stats().badStun();
        assertThat(a.caller().sendRaw(checkOf(b, false), port.localAddress())).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> modelB.stats().badStun() > badAtB);
        assertThat(port.rebound()).isZero();

        // call B's check sent from call A's address, as a client whose legs all leave from one
        // local port sends it: authentic (B's credentials), so the port gives the address to B
        assertThat(a.caller().sendRaw(checkOf(b, true), port.localAddress())).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> port.rebound() >= 1);
        long heardOfA = modelA.mediaDatagramsReceived();
        long sentByA = a.caller().stats().rtpSent();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.caller().stats().rtpSent() >= sentByA + 25);
        // once B has answered another check from that address, the port has read what A sent before it
        long answeredByB = modelB.stats().stunRequestsAnswered();
        assertThat(a.caller().sendRaw(checkOf(b, true), port.localAddress())).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> modelB.stats().stunRequestsAnswered() > answeredByB);

        // A's caller sent on; none of it reached A's phone (B's phone drops it: not its peer)
        assertThat(modelA.mediaDatagramsReceived()).isEqualTo(heardOfA);
        assertThat(port.rebound()).isEqualTo(1);
        assertThat(port.unroutable()).isZero();
        // the rest goes on: B's caller is heard, and A's model still reaches A's caller
        long heardOfB = modelB.mediaDatagramsReceived();
        long heardByA = a.caller().stats().rtpReceived();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> modelB.mediaDatagramsReceived() > heardOfB + 10
                        && a.caller().stats().rtpReceived() > heardByA + 10);
    }

    /** Serves calls on one port from now on (a new server in place of the per-socket one). */
    private SharedPhonePort acceptCallsOnOnePort() {
        server.close();
        server = FakeRealtimeServer.start(TOKEN).acceptCallsOnOnePort(modelPhones, LOOPBACK);
        return server.callsPort();
    }

    /**
     * A's session is greeted while B's caller speaks and is answered, then A's caller speaks and
     * is answered: audio both ways on both calls, none of it in the other.
     */
    private void assertTwoCallsTalkApart(Dialled a, Dialled b) throws Exception {
        server.greetWith(ResponseAudio.tone(660, 600)).respondWith(ResponseAudio.tone(440, 1000));
        assertThat(a.id()).isNotEqualTo(b.id());
        var sidebandA = sideband(a.id());
        var sidebandB = sideband(b.id());
        sidebandA.send(GA_UPDATE);
        sidebandB.send(GA_UPDATE);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !sidebandA.events("session.updated").isEmpty()
                        && !sidebandB.events("session.updated").isEmpty());

        a.caller().startRecording();
        b.caller().startRecording();
        sidebandA.send("{\"type\":\"response.create\",\"response\":{\"instructions\":\"greet\"}}");
        b.caller().play(PcmSource.of(Signals.tone(300, 0.3, 600)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !sidebandA.events("output_audio_buffer.stopped").isEmpty()
                        && !sidebandB.events("output_audio_buffer.stopped").isEmpty());
        Thread.sleep(300);

        // A asked for the greeting and heard it; B spoke and was answered; neither got the other's events
        assertThat(sidebandA.events("input_audio_buffer.speech_started")).isEmpty();
        assertThat(sidebandB.events("input_audio_buffer.speech_started")).hasSize(1);
        assertTone(a.caller().recording(), 660, 400);
        assertTone(b.caller().recording(), 440, 600);
        assertThat(AudioAnalysis.toneFrames(a.caller().recording(), 440)).isZero();
        assertThat(AudioAnalysis.toneFrames(b.caller().recording(), 660)).isZero();
        var callA = server.call(a.id()).orElseThrow();
        var callB = server.call(b.id()).orElseThrow();
        assertThat(callA.connection()).isNotEqualTo(callB.connection());
        assertThat(AudioAnalysis.toneFrames(callA.heard(), 300)).isZero();
        assertThat(AudioAnalysis.toneFrames(callB.heard(), 300)).isGreaterThan(15);

        a.caller().startRecording();
        a.caller().play(PcmSource.of(Signals.tone(500, 0.3, 600)));
        awaitEvents(sidebandA, "output_audio_buffer.stopped", 2);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> AudioAnalysis.toneFrames(a.caller().recording(), 440) >= 35);
        assertThat(sidebandA.events("input_audio_buffer.speech_started")).hasSize(1);
        assertThat(sidebandB.events("input_audio_buffer.speech_started")).hasSize(1);
        assertTone(a.caller().recording(), 440, 600);
        assertThat(AudioAnalysis.toneFrames(callA.heard(), 500)).isGreaterThan(15);
        assertThat(AudioAnalysis.toneFrames(callB.heard(), 500)).isZero();
    }

    @Test
    void manyCallsAtOnceCostNoPlatformThreadEach() throws Exception {
        server.greetWith(ResponseAudio.tone(660, 400));
        var first = dial();
        long threadsWithOneCall = platformThreads();
        var dialled = new ArrayList<Dialled>(List.of(first));
        for (int i = 0; i < 9; i++) {
            dialled.add(dial());
        }
        var sidebands = new ArrayList<WsProbe>();
        for (var d : dialled) {
            var sideband = sideband(d.id());
            awaitEvents(sideband, "session.created", 1);
            d.caller().startRecording();
            sideband.send("{\"type\":\"response.create\",\"response\":{\"instructions\":\"greet\"}}");
            sidebands.add(sideband);
        }
        // the calls' phones share their host's threads; sessions run on shared virtual threads
        assertThat(platformThreads()).isLessThanOrEqualTo(threadsWithOneCall + 2);
        for (var sideband : sidebands) {
            awaitEvents(sideband, "output_audio_buffer.stopped", 1);
        }
        Thread.sleep(300);
        for (var d : dialled) {
            assertTone(d.caller().recording(), 660, 300);
        }
        assertThat(server.calls()).hasSize(10);
        assertThat(server.openConnections()).isEqualTo(10);
    }

    /** Platform threads, but the JDK clients' (each sideband probe has an HttpClient of its own). */
    private static long platformThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.isVirtual() && !t.getName().startsWith("HttpClient-"))
                .count();
    }

    @Test
    void closingTheServerEndsEveryCall() throws Exception {
        var a = dial();
        var b = dial();
        server.close();
        assertThat(server.calls()).allMatch(RealtimeCall::hungUp).hasSize(2);
        long received = a.caller().stats().rtpReceived() + b.caller().stats().rtpReceived();
        Thread.sleep(300);
        assertThat(a.caller().stats().rtpReceived() + b.caller().stats().rtpReceived())
                .isLessThanOrEqualTo(received + 2);
    }

    // ---- helpers

    /** Makes a call as the worker does and waits for its media to connect. */
    private Dialled dial() throws Exception {
        var d = offer();
        connect(d);
        return d;
    }

    /** Creates a call as the worker does, from a caller with a socket of its own: not yet connected. */
    private Dialled offer() throws Exception {
        var caller = callers.newPhone(LOOPBACK, PhoneOptions.defaults());
        closing.add(caller);
        var response = post(server.callsUri(), TOKEN, multipartType(), multipart(caller.fullIceOffer(), SESSION));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String location = response.headers().firstValue("Location").orElseThrow();
        return new Dialled(caller, location.substring(location.lastIndexOf('/') + 1), response.body());
    }

    /** The callers take their answers together, then wait for the media of each to connect. */
    private static void connect(Dialled... calls) throws Exception {
        for (var d : calls) {
            d.caller().acceptIceLiteAnswer(d.answer());
        }
        for (var d : calls) {
            assertThat(d.caller().awaitConnected(Duration.ofSeconds(10))).isTrue();
        }
    }

    /** The port of the answer's UDP candidate. */
    private static int candidatePort(String answer) throws Exception {
        return new SdpParser()
                .parseAnswer(answer).audio().candidates().stream()
                        .filter(IceCandidate::isUdp)
                        .findFirst()
                        .orElseThrow()
                        .port();
    }

    /**
     * A connectivity check for call {@code d} as its caller would send it (controlling,
     * nominating; USERNAME the answer's ufrag and the offer's), signed with the answer's password,
     * or else with a wrong one.
     */
    private byte[] checkOf(Dialled d, boolean authentic) throws Exception {
        var answer = new SdpParser().parseAnswer(d.answer()).audio().ice();
        var offer = new SdpParser()
                .parse(server.call(d.id()).orElseThrow().offer())
                .audio()
                .ice();
        return StunMessage.builder(
                        StunMessage.BINDING_REQUEST, TransactionId.random().bytes())
                .username(answer.ufrag() + ":" + offer.ufrag())
                .priority(2122260223L)
                .iceControlling(1)
                .useCandidate(true)
                .encode((authentic ? answer.pwd() : "not-" + answer.pwd()).getBytes(StandardCharsets.UTF_8));
    }

    /** Waits for {@code count} events of {@code type}; fails with every event type the probe got. */
    private static void awaitEvents(WsProbe probe, String type, int count) {
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> probe.events(type).size() >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "no " + count + " " + type + " among "
                            + probe.events().stream()
                                    .map(n -> n.path("type").asText())
                                    .toList(),
                    e);
        }
    }

    private WsProbe sideband(String callId) throws Exception {
        var probe = new WsProbe(URI.create(server.baseUri() + "?call_id=" + callId), TOKEN, null);
        closing.add(probe);
        return probe;
    }

    private URI hangupUri(String id) {
        return URI.create(server.callsUri() + "/" + id + "/hangup");
    }

    private HttpResponse<String> post(URI uri, String token, String contentType, String body) throws Exception {
        var request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token);
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String multipartType() {
        return "multipart/form-data; boundary=b0und";
    }

    /** The worker's body: the offer, then the session, each a form-data part. */
    private static String multipart(String sdp, String session) {
        return part("sdp", "application/sdp", sdp) + part("session", "application/json", session) + "--b0und--\r\n";
    }

    private static String part(String name, String type, String content) {
        return "--b0und\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: " + type + "\r\n\r\n"
                + content + "\r\n";
    }

    private void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("type").asText()).isNotEmpty();
        assertThat(error.path("message").asText()).isNotEmpty();
    }

    /**
     * {@code pcm} holds at least {@code minMillis} of a tone at {@code hz}: its loud 20 ms frames
     * are that many, and the dominant frequency of their middle is within 5 Hz of it.
     */
    private static void assertTone(short[] pcm, double hz, int minMillis) {
        int frame = PcmSource.FRAME_SAMPLES;
        int first = -1;
        int loud = 0;
        for (int off = 0; off + frame <= pcm.length; off += frame) {
            if (AudioAnalysis.rms(pcm, off, frame) > 0.03) { // about -30 dBFS
                if (first < 0) {
                    first = off;
                }
                loud++;
            }
        }
        assertThat(loud * 20).as("loud milliseconds").isGreaterThanOrEqualTo(minMillis);
        int window = PcmSource.SAMPLE_RATE / 5; // 200 ms, from 100 ms into the tone
        double dominant =
                AudioAnalysis.dominantFrequency(pcm, first + PcmSource.SAMPLE_RATE / 10, window, PcmSource.SAMPLE_RATE);
        assertThat(dominant).isCloseTo(hz, org.assertj.core.data.Offset.offset(5.0));
    }
}
