package dev.voicebridge.worker.agent;

import static dev.voicebridge.testkit.audio.Signals.concat;
import static dev.voicebridge.testkit.audio.Signals.silence;
import static dev.voicebridge.testkit.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.Greeting;
import dev.voicebridge.api.v1alpha1.TranscriptLine;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.realtime.OpenAiRealtimeClient;
import dev.voicebridge.worker.realtime.OpenAiRealtimeConfig;
import dev.voicebridge.worker.realtime.RealtimeProvider;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent of one call against the fake GA realtime server over a real WebSocket on 127.0.0.1. */
@Timeout(30)
class CallAgentIT {
    private final AgentHarness h = new AgentHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private void awaitReady(int connection) {
        // A bound, not a wait: a (re)connect is a WebSocket handshake plus session.update, which a
        // loaded CI machine has taken more than 5 s to schedule.
        await().atMost(Duration.ofSeconds(15)).until(() -> h.server.sent("session.updated").stream()
                .anyMatch(n -> n.path("_connection").asInt() == connection));
    }

    private static Greeting greeting(int leadInMillis) {
        var greeting = new Greeting();
        greeting.setInstructions("Greet the caller in one short sentence.");
        greeting.setLeadInMillis(leadInMillis);
        return greeting;
    }

    /**
     * The greeting is asked for once ICE and DTLS are up, while the call is only pre-accepted, and
     * its audio waits whole in the agent until the lead-in after accept: at accept nothing is left
     * to ask the model (the caller used to wait a model round trip after the lead-in).
     */
    @Test
    void greetingPreparedWhilePreAcceptedAndHeardAfterTheLeadIn() {
        var spec = AgentHarness.spec();
        spec.setGreeting(greeting(300));
        h.start(spec, AgentHarness.config());

        awaitReady(1); // pre-warmed: the session is configured before the call is accepted
        await().during(Duration.ofMillis(600))
                .atMost(Duration.ofSeconds(2))
                .until(() -> h.server.received("response.create").isEmpty()); // a session alone does not greet

        h.agent.mediaConnected(); // ICE and DTLS up, not yet accepted
        await().atMost(Duration.ofSeconds(3))
                .until(() -> h.server.received("response.create").size() == 1);
        assertThat(h.server
                        .received("response.create")
                        .get(0)
                        .json()
                        .path("response")
                        .path("instructions")
                        .asText())
                .isEqualTo("Greet the caller in one short sentence.");
        // The whole greeting (the fake's 660 Hz tone, 600 ms) is at the worker before accept, and held.
        await().atMost(Duration.ofSeconds(3))
                .until(() -> !h.server.sent("response.done").isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> h.leg.itemsSent()
                .isEmpty());

        long mediaUpAt = System.nanoTime();
        h.agent.mediaUp();
        await().atMost(Duration.ofSeconds(3))
                .until(() -> !h.leg.itemsSent().isEmpty()
                        && AudioAnalysis.toneFrames(
                                        h.leg.sentOf(h.leg.itemsSent().get(0)), 660)
                                >= 25);
        String item = h.leg.itemsSent().get(0);
        long firstFrame = h.leg.sent().stream()
                .filter(s -> item.equals(s.itemId()))
                .findFirst()
                .orElseThrow()
                .nanoTime();
        assertThat(Duration.ofNanos(firstFrame - mediaUpAt)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(h.server.received("response.create")).hasSize(1); // asked for once, not again at accept
    }

    /**
     * The lead-in counts from the accept as the accepting service recorded it, not from the moment
     * the accept reached the worker: an accept that took the whole lead-in to arrive is greeted at
     * once, one that arrived at once waits the whole lead-in.
     */
    @Test
    void leadInCountsFromTheAccept() {
        var spec = AgentHarness.spec();
        spec.setGreeting(greeting(5000));
        h.start(spec, AgentHarness.config());
        awaitReady(1);
        h.agent.mediaConnected();
        await().atMost(Duration.ofSeconds(3))
                .until(() -> !h.server.sent("response.done").isEmpty());

        long mediaUpAt = System.nanoTime();
        h.agent.mediaUp(Instant.now().minusMillis(5000)); // accepted a lead-in ago
        await().atMost(Duration.ofSeconds(3)).until(() -> !h.leg.itemsSent().isEmpty());
        String item = h.leg.itemsSent().get(0);
        long firstFrame = h.leg.sent().stream()
                .filter(s -> item.equals(s.itemId()))
                .findFirst()
                .orElseThrow()
                .nanoTime();
        // Released at once: far less than the 5 s lead-in after mediaUp (the margin absorbs a loaded machine).
        assertThat(Duration.ofNanos(firstFrame - mediaUpAt)).isLessThan(Duration.ofMillis(2500));
    }

    /** The caller speaks during the lead-in: the held greeting is dropped and the model told none was heard. */
    @Test
    void callerSpeakingBeforeTheHeldGreetingDropsIt() {
        var spec = AgentHarness.spec();
        spec.setGreeting(greeting(3000));
        h.start(spec, AgentHarness.config());
        awaitReady(1);
        h.agent.mediaConnected();
        await().atMost(Duration.ofSeconds(3))
                .until(() -> !h.server.sent("response.done").isEmpty());
        String greetingItem = h.server
                .sent("response.output_audio.delta")
                .get(0)
                .path("item_id")
                .asText();

        h.agent.mediaUp();
        h.leg.say(tone(300, 0.25, 600)); // "hello?" before the agent said anything
        await().atMost(Duration.ofSeconds(3))
                .until(() -> h.server.received("conversation.item.truncate").size() == 1);
        var truncate = h.server.received("conversation.item.truncate").get(0).json();
        assertThat(truncate.path("item_id").asText()).isEqualTo(greetingItem);
        assertThat(truncate.path("audio_end_ms").asLong()).isZero();
        // The model answers the caller instead; the greeting never reaches the line.
        await().atMost(Duration.ofSeconds(8)).until(() -> !h.leg.itemsSent().isEmpty());
        assertThat(h.leg.itemsSent()).doesNotContain(greetingItem);
        assertThat(h.snapshot().interruptions()).isEqualTo(1);
    }

    @Test
    void bargeInFlushesAndTruncatesAtWhatWasSent() {
        h.server.respondWith(ResponseAudio.tone(440, 4000));
        h.start(AgentHarness.spec(), AgentHarness.config());
        awaitReady(1);
        h.agent.mediaUp();

        h.leg.say(tone(300, 0.25, 600));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !h.leg.itemsSent().isEmpty()
                        && h.leg.sentOf(h.leg.itemsSent().get(0)).length >= Pcm.SAMPLE_RATE); // 1 s played
        String item = h.leg.itemsSent().get(0);

        h.leg.say(tone(300, 0.25, 400)); // the caller talks over the agent
        await().atMost(Duration.ofSeconds(3))
                .until(() -> h.server.received("conversation.item.truncate").size() == 1);

        var truncate = h.server.received("conversation.item.truncate").get(0).json();
        var flush = h.leg.flushes().stream()
                .filter(f -> f.result().wasPlaying())
                .findFirst()
                .orElseThrow();
        long sentMs = Pcm.millis(h.leg.sentOf(item).length);
        System.out.printf(
                "barge-in: truncate audio_end_ms=%d, flushed playedMillis=%d, sent as frames=%d ms, dropped=%d ms%n",
                truncate.path("audio_end_ms").asLong(),
                flush.result().playedMillis(),
                sentMs,
                flush.result().droppedMillis());
        assertThat(truncate.path("item_id").asText()).isEqualTo(item);
        assertThat(truncate.path("content_index").asInt()).isZero();
        assertThat(truncate.path("audio_end_ms").asLong())
                .isEqualTo(flush.result().playedMillis())
                .isCloseTo(sentMs, org.assertj.core.data.Offset.offset((long) Pcm.FRAME_MILLIS))
                .isBetween(1000L, 3900L);
        // Nothing of the interrupted item went out after the flush, and the fake accepted the truncate.
        assertThat(h.leg.sent().stream().skip(flush.framesSentBefore()).filter(s -> item.equals(s.itemId())))
                .isEmpty();
        await().atMost(Duration.ofSeconds(2))
                .until(() -> !h.server.sent("conversation.item.truncated").isEmpty());
        assertThat(h.server.sent("error")).isEmpty();
        assertThat(h.snapshot().interruptions()).isEqualTo(1);
    }

    @Test
    void noTruncateWhenNothingIsPlaying() {
        h.server.respondWith(ResponseAudio.tone(440, 200));
        h.start(AgentHarness.spec(), AgentHarness.config());
        awaitReady(1);
        h.agent.mediaUp();

        h.leg.say(tone(300, 0.25, 500));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !h.leg.itemsSent().isEmpty()
                        && h.leg.queuedMillis() == 0
                        && h.leg.sentOf(h.leg.itemsSent().get(0)).length >= Pcm.SAMPLE_RATE / 5);
        h.leg.say(concat(silence(200), tone(300, 0.25, 500)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> h.server.sent("input_audio_buffer.speech_started").size() == 2);
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> h.server.received("conversation.item.truncate").isEmpty());
        assertThat(h.snapshot().interruptions()).isZero();
    }

    @Test
    void reconnectsAfterADropReseedsAndKeepsTheLineAlive() {
        h.server.respondWith(ResponseAudio.tone(440, 300)).callerTranscript("I would like a table for two");
        h.start(AgentHarness.spec(), AgentHarness.config());
        awaitReady(1);
        h.agent.mediaUp();
        h.leg.say(tone(300, 0.25, 500));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> h.snapshot().transcript().size() == 2);

        int framesBefore = h.leg.sent().size();
        long droppedAt = System.nanoTime();
        h.server.dropConnections();
        awaitReady(2);
        long reconnectedAt = System.nanoTime();

        var seed = h.server.received("session.update").stream()
                .filter(r -> r.connection() == 2)
                .findFirst()
                .orElseThrow()
                .json();
        assertThat(seed.path("session").path("instructions").asText())
                .startsWith("You are the voicebridge test agent.")
                .contains("caller: I would like a table for two")
                .contains("agent: tone 440 Hz 300 ms");
        // The caller's line never went quiet: the pacer kept sending (silence) through the outage.
        long outageFrames = (reconnectedAt - droppedAt) / 20_000_000L;
        assertThat(h.leg.sent().size() - framesBefore).isGreaterThanOrEqualTo((int) Math.max(0, outageFrames - 2));

        // And the conversation goes on over the new session.
        h.leg.say(tone(300, 0.25, 500));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> h.leg.itemsSent().stream().anyMatch(i -> i.startsWith("item_2_")));
        var snap = h.snapshot();
        assertThat(snap.reconnects()).isEqualTo(1);
        assertThat(snap.state()).isEqualTo("Ready");
        assertThat(snap.sessionId()).isEqualTo("sess_fake_2");
        assertThat(h.ends).isEmpty();
    }

    @Test
    void rollsTheSessionOverBeforeTheCap() {
        h.server.respondWith(ResponseAudio.tone(440, 300));
        h.start(AgentHarness.spec(), AgentHarness.config().withSessionRollover(Duration.ofMillis(1500)));
        awaitReady(1);
        h.agent.mediaUp();

        awaitReady(2);
        await().atMost(Duration.ofSeconds(3)).until(() -> h.server.openConnections() == 1);
        assertThat(h.server.received("session.update").stream().filter(r -> r.connection() == 2))
                .hasSize(1);

        h.leg.say(tone(300, 0.25, 500));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> h.leg.itemsSent().stream().anyMatch(i -> !i.startsWith("item_1_")));
        assertThat(h.snapshot().reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(h.ends).isEmpty();
    }

    @Test
    void endCallFinishesTheGoodbyeThenHangsUp() {
        h.start(AgentHarness.spec(), AgentHarness.config());
        awaitReady(1);
        h.agent.mediaUp();
        assertThat(h.server
                        .received("session.update")
                        .get(0)
                        .json()
                        .path("session")
                        .path("tools")
                        .get(0)
                        .path("name")
                        .asText())
                .isEqualTo("end_call");

        h.server.emitFunctionCall("end_call", "{}", ResponseAudio.tone(520, 600));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.ends.size() == 1);

        var end = h.ends.get(0);
        assertThat(end.reason()).isEqualTo(dev.voicebridge.api.v1alpha1.EndReason.AgentHangup);
        String goodbye = h.leg.itemsSent().get(0);
        assertThat(Pcm.millis(h.leg.sentOf(goodbye).length)).isGreaterThanOrEqualTo(600);
        long lastGoodbyeFrame = h.leg.sent().stream()
                .filter(s -> goodbye.equals(s.itemId()))
                .mapToLong(FakeCallLeg.Sent::nanoTime)
                .max()
                .orElseThrow();
        assertThat(end.nanoTime()).isGreaterThanOrEqualTo(lastGoodbyeFrame);
        var output = h.server.received("conversation.item.create").get(0).json().path("item");
        assertThat(output.path("type").asText()).isEqualTo("function_call_output");
        assertThat(output.path("call_id").asText()).startsWith("call_");
    }

    @Test
    void unavailableModelEndsTheCallAfterTheBound() {
        h.start(AgentHarness.spec(), AgentHarness.config().withUnavailableAfter(Duration.ofSeconds(1)));
        awaitReady(1);
        h.agent.mediaUp();

        h.server.refuseConnections(true);
        long droppedAt = System.nanoTime();
        h.server.dropConnections();
        await().atMost(Duration.ofSeconds(6)).until(() -> h.ends.size() == 1);

        var end = h.ends.get(0);
        assertThat(end.reason()).isEqualTo(dev.voicebridge.api.v1alpha1.EndReason.AgentUnavailable);
        assertThat(Duration.ofNanos(end.nanoTime() - droppedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(h.server.rejectedHandshakes()).isGreaterThanOrEqualTo(1);
        assertThat(h.leg.itemsSent()).contains("notice");
        assertThat(AudioAnalysis.toneFrames(h.leg.sentOf("notice"), 425)).isGreaterThanOrEqualTo(25);
    }

    @Test
    void benignErrorsAreIgnoredAndFatalOnesEndTheCall() {
        h.start(AgentHarness.spec(), AgentHarness.config());
        awaitReady(1);
        h.agent.mediaUp();

        h.server.emitError("invalid_request_error", "conversation_already_has_active_response", "busy");
        h.server.emitError("invalid_request_error", "response_cancel_not_active", "nothing to cancel");
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(h.ends::isEmpty);

        h.server.emitError("insufficient_quota", "insufficient_quota", "You exceeded your current quota.");
        await().atMost(Duration.ofSeconds(3)).until(() -> h.ends.size() == 1);
        assertThat(h.ends.get(0).reason()).isEqualTo(dev.voicebridge.api.v1alpha1.EndReason.AgentError);
        assertThat(h.ends.get(0).detail()).contains("insufficient_quota");
    }

    @Test
    void aWrongApiKeyEndsTheCallWithAgentError() {
        var wrongKey = new RealtimeProvider(new OpenAiRealtimeClient(
                new OpenAiRealtimeConfig(h.server.baseUri(), "sk-wrong", Duration.ofSeconds(2), 0), h.json));
        h.start(AgentHarness.spec(), AgentHarness.config(), wrongKey);
        await().atMost(Duration.ofSeconds(5)).until(() -> h.ends.size() == 1);
        assertThat(h.ends.get(0).reason()).isEqualTo(dev.voicebridge.api.v1alpha1.EndReason.AgentError);
        assertThat(h.ends.get(0).detail()).contains("invalid_api_key");
        assertThat(h.server.received()).isEmpty();
    }

    @Test
    void dtmfReachesTheModelAsAUserTurn() {
        h.start(AgentHarness.spec(), AgentHarness.config());
        awaitReady(1);
        h.agent.mediaUp();
        h.agent.onDtmf('5');
        await().atMost(Duration.ofSeconds(3))
                .until(() -> h.server.received("response.create").size() == 1);
        var item = h.server.received("conversation.item.create").get(0).json().path("item");
        assertThat(item.path("role").asText()).isEqualTo("user");
        assertThat(item.path("content").get(0).path("text").asText()).contains("key 5");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> h.snapshot().transcript().stream().anyMatch(l -> "[DTMF 5]".equals(l.getText())));
    }

    @Test
    void aBurstOfDigitsIsOneTextTurnAndOneResponse() {
        h.start(AgentHarness.spec(), AgentHarness.config());
        awaitReady(1);
        h.agent.mediaUp();
        for (char digit : "1234567890*#".toCharArray()) {
            h.agent.onDtmf(digit);
        }
        await().atMost(Duration.ofSeconds(3))
                .until(() -> h.server.received("response.create").size() == 1);
        // The burst cost one response, not one per key.
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> h.server.received("response.create").size() == 1);
        var items = h.server.received("conversation.item.create");
        assertThat(items).hasSize(1);
        assertThat(items.get(0)
                        .json()
                        .path("item")
                        .path("content")
                        .get(0)
                        .path("text")
                        .asText())
                .isEqualTo("The caller pressed the phone keys 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, *, #.");
        // One caller line; a digit run that may be a phone number or a PIN is masked there.
        assertThat(h.snapshot().transcript())
                .extracting(TranscriptLine::getText)
                .filteredOn(line -> line.startsWith("[DTMF"))
                .containsExactly("[DTMF ##########*#]");

        // A later key press is a turn of its own again.
        h.agent.onDtmf('5');
        await().atMost(Duration.ofSeconds(5))
                .until(() -> h.server.received("conversation.item.create").size() == 2);
        assertThat(h.server
                        .received("conversation.item.create")
                        .get(1)
                        .json()
                        .path("item")
                        .path("content")
                        .get(0)
                        .path("text")
                        .asText())
                .isEqualTo("The caller pressed the phone key 5.");
    }

    @Test
    void aFloodOfKeyPressesIsCappedInOneTextTurn() {
        h.start(AgentHarness.spec(), AgentHarness.config());
        awaitReady(1);
        h.agent.mediaUp();
        for (int i = 0; i < 1000; i++) {
            h.agent.onDtmf('9');
        }
        // The text turn is two client events, the item then response.create: wait for both.
        await().atMost(Duration.ofSeconds(3))
                .until(() -> h.server.received("conversation.item.create").size() == 1
                        && !h.server.received("response.create").isEmpty());
        String text = h.server
                .received("conversation.item.create")
                .get(0)
                .json()
                .path("item")
                .path("content")
                .get(0)
                .path("text")
                .asText();
        assertThat(text).startsWith("The caller pressed the phone keys 9, 9, ").endsWith("(and 968 more key presses).");
        assertThat(h.server.received("response.create")).hasSize(1);
    }
}
