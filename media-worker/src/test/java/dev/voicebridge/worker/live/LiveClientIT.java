package dev.voicebridge.worker.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.live.FakeLiveServer;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.worker.live.LiveServerEvent.OutputAudio;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link LiveClient} against the fake GPT-Live service over a real WebSocket on 127.0.0.1. */
@Timeout(60)
class LiveClientIT {
    private static final String KEY = "sk-live-test";
    private static final LiveSessionConfig CLIENT =
            new LiveSessionConfig("gpt-live-1", "Be brief.", "marin", null, null);

    private final ObjectMapper json = new ObjectMapper();
    private final FakeLiveServer server = FakeLiveServer.start(KEY);
    private final List<LiveServerEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        server.close();
    }

    private LiveClient client(String key, Duration startTimeout) {
        return new LiveClient(
                new LiveClientConfig(server.uri(), key, Duration.ofSeconds(5), startTimeout, null, 0), json);
    }

    private LiveConnection start(LiveSessionConfig session) {
        return client(KEY, Duration.ofSeconds(5)).start(session, events::add).join();
    }

    private <T extends LiveServerEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private List<short[]> frames() {
        return of(OutputAudio.class).stream().map(OutputAudio::pcm).toList();
    }

    private static boolean loud(short[] frame) {
        return AudioAnalysis.rms(frame, 0, frame.length) > 0.01;
    }

    private long loudFrames() {
        return frames().stream().filter(LiveClientIT::loud).count();
    }

    /** Caller audio in 20 ms appends, then enough silence for the model to hear the utterance end. */
    private static void utter(LiveConnection c, short[] speech, int silenceFrames) {
        var all = Arrays.copyOf(speech, speech.length + silenceFrames * 480);
        for (int off = 0; off + 480 <= all.length; off += 480) {
            c.send(new LiveClientEvent.AppendAudio(Arrays.copyOfRange(all, off, off + 480)));
        }
    }

    @Test
    void startsWithSessionStartAndReceivesTheContinuousOutputStream() {
        var c = start(CLIENT);
        assertThat(c.started().sessionId()).startsWith("sess_");
        assertThat(c.started().voice()).isEqualTo("marin");
        assertThat(events.get(0)).isEqualTo(c.started());
        await().atMost(Duration.ofSeconds(5)).until(() -> frames().size() >= 10);
        assertThat(frames()).allSatisfy(f -> assertThat(f).hasSize(480));
        var upgrade = server.upgrades().get(0);
        assertThat(upgrade.parameters()).isEmpty();
        assertThat(upgrade.bearer(KEY)).isTrue();
        var start = server.received("session.start").get(0).json();
        assertThat(start.path("event_id").asText()).isNotBlank();
        assertThat(start.path("session")
                        .path("audio")
                        .path("format")
                        .path("rate")
                        .asInt())
                .isEqualTo(24_000);
        assertThat(server.received().get(0).type()).isEqualTo("session.start");
        c.abort();
    }

    @Test
    void theCallersSpeechReachesTheModelAndItsAnswerComesBackWithTimedTranscripts() {
        server.respondWith(new ResponseAudio.Echo()).callerTranscript("a table for two");
        var c = start(CLIENT);
        var speech = Signals.chirp(400, 1200, 0.25, 600);
        utter(c, speech, 30);
        // the last fragment comes with the last frame of the answer
        await().atMost(Duration.ofSeconds(10)).until(() -> String.join(
                        "",
                        of(LiveServerEvent.OutputTranscript.class).stream()
                                .map(LiveServerEvent.OutputTranscript::delta)
                                .toList())
                .matches("echo \\d+ ms"));
        var heard = new short[frames().size() * 480];
        int i = 0;
        for (var f : frames()) {
            System.arraycopy(f, 0, heard, i, 480);
            i += 480;
        }
        var alignment = AudioAnalysis.align(speech, heard, heard.length - speech.length);
        assertThat(alignment.correlation()).isGreaterThan(0.95);
        var input = of(LiveServerEvent.InputTranscript.class);
        assertThat(String.join(
                        "",
                        input.stream()
                                .map(LiveServerEvent.InputTranscript::delta)
                                .toList()))
                .isEqualTo("a table for two");
        assertThat(input).allSatisfy(t -> assertThat(t.endMs()).isGreaterThan(t.startMs()));
        var output = of(LiveServerEvent.OutputTranscript.class);
        assertThat(output).allSatisfy(t -> assertThat(t.endMs()).isGreaterThan(t.startMs()));
        for (int k = 1; k < output.size(); k++) {
            assertThat(output.get(k).startMs())
                    .isGreaterThanOrEqualTo(output.get(k - 1).endMs());
        }
        c.abort();
    }

    @Test
    void theModelFallsSilentByItselfWhenTheCallerSpeaksOverIt() {
        server.respondWith(ResponseAudio.tone(440, 3000));
        var c = start(CLIENT);
        utter(c, Signals.tone(300, 0.25, 500), 30);
        await().atMost(Duration.ofSeconds(10)).until(() -> loudFrames() >= 25);
        utter(c, Signals.tone(300, 0.25, 200), 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stops().size() == 1);
        var stop = server.stops().get(0);
        int firstSilent = (int) (stop.sessionMs() / 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> frames().size() >= firstSilent + 10);
        var frames = frames();
        for (int i = 0; i < frames.size(); i++) {
            assertThat(loud(frames.get(i)))
                    .as("frame %d", i)
                    .isEqualTo(i < firstSilent && i >= firstSilent - stop.spokenMillis() / 20);
        }
        // model-controlled: nothing but session.start and audio ever went out
        assertThat(server.received().stream().map(r -> r.type()).distinct())
                .containsExactlyInAnyOrder("session.start", "session.input_audio.append");
        c.abort();
    }

    @Test
    void aGreetingIsAskedForWithCommentaryAndAcknowledged() {
        var c = start(CLIENT);
        c.send(new LiveClientEvent.AppendCommentary(null, "Greet the caller."));
        await().atMost(Duration.ofSeconds(5)).until(() -> loudFrames() == 30);
        var ack = of(LiveServerEvent.ContextAppended.class).get(0);
        assertThat(ack.kind()).isEqualTo("commentary");
        assertThat(ack.clientEventId())
                .isEqualTo(server.received("session.commentary.append")
                        .get(0)
                        .json()
                        .path("event_id")
                        .asText());
        var loud = frames().stream().filter(LiveClientIT::loud).findFirst().orElseThrow();
        assertThat(AudioAnalysis.dominant(loud, 0, 480, 24_000, 440, 550, 660).hz())
                .isEqualTo(660);
        c.abort();
    }

    @Test
    void aDelegatedFunctionCallIsAnsweredAndTheBackendContinues() throws Exception {
        var tool = new LiveSessionConfig.FunctionTool(
                "end_call", "Hang up", json.readTree("{\"type\":\"object\",\"properties\":{}}"));
        var session = new LiveSessionConfig(
                "gpt-live-1.1",
                "Be brief.",
                null,
                new LiveSessionConfig.Delegation.Responses("gpt-5.6-luna", null, List.of(tool), "auto"),
                null);
        server.callFunctionOnNextUtterance("end_call", "{\"reason\":\"goodbye\"}");
        var c = start(session);
        utter(c, Signals.tone(300, 0.25, 400), 30);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !of(LiveServerEvent.FunctionCall.class).isEmpty()
                        && of(LiveServerEvent.BackendResponseDone.class).size() == 1);
        var delegation = of(LiveServerEvent.DelegationCreated.class).get(0);
        var call = of(LiveServerEvent.FunctionCall.class).get(0);
        assertThat(delegation.target()).isEqualTo("responses");
        assertThat(call.delegationId()).isEqualTo(delegation.delegationId());
        assertThat(call.name()).isEqualTo("end_call");
        assertThat(json.readTree(call.arguments()).path("reason").asText()).isEqualTo("goodbye");

        c.send(new LiveClientEvent.FunctionCallOutput(call.callId(), "{\"ok\":true}"));
        c.send(new LiveClientEvent.ContinueResponse());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> of(LiveServerEvent.BackendResponseDone.class).size() == 2 && loudFrames() > 0);
        assertThat(server.toolOutputs()).singleElement().satisfies(o -> assertThat(o.callId())
                .isEqualTo(call.callId()));
        assertThat(of(LiveServerEvent.ServerError.class)).isEmpty();
        var usage = of(LiveServerEvent.BackendResponseDone.class).stream()
                .map(LiveServerEvent.BackendResponseDone::usage)
                .reduce(LiveServerEvent.BackendUsage.ZERO, LiveServerEvent.BackendUsage::plus);
        assertThat(usage).isEqualTo(new LiveServerEvent.BackendUsage(280, 120, 36, 0));
        c.abort();
    }

    @Test
    void usageIsCumulativeAndACloseReturnsTheFinalUsage() {
        server.usageEvery(Duration.ofMillis(100));
        var c = start(CLIENT);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> of(LiveServerEvent.UsageUpdated.class).size() >= 3);
        var usage = of(LiveServerEvent.UsageUpdated.class);
        assertThat(usage.get(2).seconds()).isGreaterThan(usage.get(0).seconds());
        var closed = c.close().join().orElseThrow();
        assertThat(closed.reason()).isEqualTo("close_requested");
        assertThat(closed.seconds())
                .isGreaterThanOrEqualTo(usage.get(usage.size() - 1).seconds());
        assertThat(server.received("session.close")).hasSize(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> server.openConnections() == 0);
        assertThat(of(LiveServerEvent.ConnectionClosed.class)).isEmpty();
        assertThat(of(LiveServerEvent.SessionClosed.class)).isEmpty();
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void aDroppedSocketIsReportedAndAnExpiredSessionEndsWithItsReasonOnly() {
        var dropped = start(CLIENT);
        server.dropConnections();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !of(LiveServerEvent.ConnectionClosed.class).isEmpty());
        assertThat(of(LiveServerEvent.ConnectionClosed.class).get(0).code()).isEqualTo(1011);
        assertThat(dropped.isOpen()).isFalse();

        events.clear();
        start(CLIENT);
        server.expireSessions();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !of(LiveServerEvent.SessionClosed.class).isEmpty());
        assertThat(of(LiveServerEvent.SessionClosed.class).get(0).reason()).isEqualTo("expired");
        await().atMost(Duration.ofSeconds(3)).until(() -> server.openConnections() == 0);
        assertThat(of(LiveServerEvent.ConnectionClosed.class)).isEmpty();
    }

    private LiveStartException startFailure(LiveClient client, LiveSessionConfig session) {
        var thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> client.start(session, events::add).get(20, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(java.util.concurrent.ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(LiveStartException.class);
        return (LiveStartException) thrown.getCause();
    }

    @Test
    void aStartThatCannotSucceedFailsWithItsReason() {
        var wrongKey = startFailure(client("sk-wrong", Duration.ofSeconds(5)), CLIENT);
        assertThat(wrongKey.reason()).isEqualTo(LiveStartException.Reason.REFUSED);
        assertThat(wrongKey.error().code()).isEqualTo("invalid_api_key");
        assertThat(wrongKey.error().isFatal()).isTrue();
        assertThat(wrongKey.retryable()).isFalse();

        var realtimeModel = startFailure(
                client(KEY, Duration.ofSeconds(5)), new LiveSessionConfig("gpt-realtime-2.1", null, null, null, null));
        assertThat(realtimeModel.error().code()).isEqualTo("invalid_value");
        assertThat(realtimeModel.error().param()).isEqualTo("session.model");

        server.refuseConnections(true);
        var busy = startFailure(client(KEY, Duration.ofSeconds(5)), CLIENT);
        assertThat(busy.error().code()).isEqualTo("service_unavailable");
        assertThat(busy.retryable()).isTrue();
        server.refuseConnections(false);

        server.ignoreSessionStarts(true);
        var hanging = startFailure(client(KEY, Duration.ofMillis(300)), CLIENT);
        assertThat(hanging.reason()).isEqualTo(LiveStartException.Reason.TIMEOUT);
        await().atMost(Duration.ofSeconds(3)).until(() -> server.openConnections() == 0);
        server.ignoreSessionStarts(false);

        var nowhere = new LiveClient(
                        new LiveClientConfig(
                                URI.create("ws://127.0.0.1:1/v1/live/sessions"),
                                KEY,
                                Duration.ofSeconds(2),
                                null,
                                null,
                                0),
                        json)
                .start(CLIENT, events::add);
        assertThatThrownBy(nowhere::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(LiveStartException.class)
                .extracting(e -> ((LiveStartException) e).reason())
                .isEqualTo(LiveStartException.Reason.UNREACHABLE);
        assertThat(events).isEmpty();
    }
}
