package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.relay.ModelCallRefusedException;
import dev.voicebridge.worker.relay.ModelLeg;
import dev.voicebridge.worker.relay.OpusRelay;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay's two legs over real ICE, DTLS and SRTP in the namespace: a WhatsApp-like caller
 * offers to the worker, and the worker posts its offer for the model to an HTTP endpoint that
 * answers as OpenAI's calls endpoint does, with a second peer's answer ({@code a=setup:active}: it
 * is the DTLS client) and the call's id in {@code Location}. Each side's tone reaches the other
 * through the relay, undecoded; nothing reaches the caller before its call is accepted, and its
 * key presses stay on its leg.
 */
@Timeout(60)
class OpusRelayIT {
    private static WorkerFixture fixture;

    private static final String SESSION = "{\"type\":\"realtime\",\"model\":\"gpt-realtime-2\"}";
    private static FakeCallsEndpoint openai;

    @BeforeAll
    static void start() throws Exception {
        TestNetwork.requireNamespace();
        fixture = new WorkerFixture(WorkerFixture.testConfig());
        openai = new FakeCallsEndpoint();
    }

    @AfterAll
    static void stop() {
        if (openai != null) {
            openai.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private SyntheticPhone peer(short[] tone) throws Exception {
        return fixture.phones.newPhone(
                new InetSocketAddress(TestNetwork.PHONE, 0),
                PhoneOptions.defaults().withSource(PcmSource.of(tone)));
    }

    @Test
    void aRefusedCallEndsTheModelsLegAndSaysWhy() throws Exception {
        openai.refuseWith(
                400,
                "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_offer\","
                        + "\"message\":\"bad offer\"}}");
        var events = new RecordingListener();
        var failure = catchThrowable(
                () -> ModelLeg.open(fixture.engine, openai.client(), "relay-refused", new OpusRelay(111), null, events)
                        .get(10, TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOfSatisfying(ModelCallRefusedException.class, r -> assertThat(r.code())
                .isEqualTo("invalid_offer"));
        assertThat(events.ended.get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.AgentUnavailable);
        assertThat(fixture.engine.transport(ModelLeg.transportName("relay-refused")))
                .isEmpty();
    }

    /** The second second of what {@code peer} recorded is {@code hz}, the other side's tone. */
    private static void assertHears(SyntheticPhone peer, int hz) {
        await().atMost(Duration.ofSeconds(10)).until(() -> peer.recording().length >= 24_000 * 2);
        var heard = AudioAnalysis.dominant(peer.recording(), 24_000, 24_000, 24_000, 300, 440, 660, 1000);
        assertThat(heard.hz()).isEqualTo(hz);
        assertThat(heard.share()).isGreaterThan(0.9);
    }

    @Test
    void eachLegHearsTheOtherAndTheCallerNothingBeforeItsAccept() throws Exception {
        try (SyntheticPhone caller = peer(Signals.tone(440, 0.3, 10_000));
                SyntheticPhone model = peer(Signals.tone(660, 0.3, 10_000))) {
            String offer = caller.offer();
            var relay =
                    new OpusRelay(new SdpParser().parse(offer).audio().opus().payloadType());
            var callerEvents = new RecordingListener();
            var modelEvents = new RecordingListener();
            CallTransport callerLeg =
                    fixture.engine.createTransport("relay-caller", offer, relay.callerLeg(), callerEvents);
            caller.acceptAnswer(callerLeg.answer());
            callerLeg.start();
            openai.answerWith(model);
            ModelLeg opened = ModelLeg.open(fixture.engine, openai.client(), "relay", relay, SESSION, modelEvents)
                    .get(10, TimeUnit.SECONDS);
            assertThat(opened.callId()).isEqualTo("rtc_relay_1");
            assertThat(openai.sessions()).containsExactly(SESSION);
            CallTransport modelLeg = opened.transport();
            assertThat(caller.awaitConnected(Duration.ofSeconds(10))).isTrue();
            assertThat(model.awaitConnected(Duration.ofSeconds(10))).isTrue();
            callerEvents.connected.get(10, TimeUnit.SECONDS);
            modelEvents.connected.get(10, TimeUnit.SECONDS);

            // The model hears the caller from now on; the caller is not accepted yet.
            model.startRecording();
            model.pickUp();
            modelLeg.markAccepted();
            assertHears(model, 440);
            assertThat(relay.stats().heldForCaller())
                    .as("the model's audio before the accept")
                    .isPositive();
            assertThat(caller.stats().rtpReceived())
                    .as("nothing reaches the caller before its accept")
                    .isZero();
            assertThat(relay.stats().toCaller()).isZero();

            caller.sendDtmf("5");
            caller.startRecording();
            callerLeg.markAccepted();
            assertHears(caller, 660);

            var stats = relay.stats();
            assertThat(stats.toModel()).isPositive();
            assertThat(stats.toCaller()).isPositive();
            assertThat(stats.otherPayload())
                    .as("the key press stays on the caller's leg")
                    .isPositive();
            assertThat(stats.malformed()).isZero();
            for (CallTransport leg : new CallTransport[] {callerLeg, modelLeg}) {
                TransportStats t = leg.stats().get(5, TimeUnit.SECONDS);
                assertThat(t.srtp().authFailures()).isZero();
                assertThat(t.rtpSent()).isPositive();
            }
            assertThat(caller.lastError()).isEmpty();
            assertThat(model.lastError()).isEmpty();

            callerLeg.hangup(EndReason.CallerHangup);
            modelLeg.hangup(EndReason.CallerHangup);
            assertThat(callerEvents.ended.get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.CallerHangup);
            assertThat(modelEvents.ended.get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.CallerHangup);
        }
    }
}
