package dev.voicebridge.worker.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import dev.voicebridge.testkit.net.ImpairmentConfig;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.net.UdpImpairmentRelay;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.agent.AgentObserver;
import dev.voicebridge.worker.telemetry.WorkerTelemetry;
import dev.voicebridge.worker.webrtc.CallTransport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The worker's control of a real call, end to end on its side: no media before the accepted signal
 * of the call's mode (WhatsApp takes the first media packet as the answer), and hang-ups that end
 * the call everywhere within a second while a flood from the peer's own address fills the call's
 * media queue. The phone records everything the worker sends it.
 */
@ExtendWith(KubeApiExtension.class)
@Timeout(90)
class CallControlIT {
    /** Caller and agent lines must never reach INFO; neither may WhatsApp's own call id. */
    private static final String CALL_ID_PREFIX = "wacid.HBgLMTU1NTAwMDE5MDYVAgARGBI";

    KubernetesClient client;
    WorkerTelemetry telemetry =
            WorkerTelemetry.withProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()));
    RealWorker worker;
    final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void start() throws Exception {
        Logger.getLogger("").addHandler(capture);
        worker = new RealWorker(client, telemetry, prices -> AgentObserver.NONE);
        worker.assigned.start();
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
        if (worker != null) {
            worker.close();
        }
        telemetry.close();
    }

    /** Connects a phone to a new call of this mode; the call is answered and DTLS is up, not accepted. */
    private SyntheticPhone connect(String callId, AcceptBy acceptBy) throws Exception {
        return connect(callId, acceptBy, null);
    }

    /** The same, with the phone behind {@code relay} (which then stands for its address). */
    private SyntheticPhone connect(String callId, AcceptBy acceptBy, UdpImpairmentRelay relay) throws Exception {
        var options = relay == null
                ? PhoneOptions.defaults()
                : PhoneOptions.defaults().withAdvertised(relay.front());
        SyntheticPhone phone = worker.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), options);
        if (relay != null) {
            relay.peer(phone.localAddress());
        }
        worker.create(callId, acceptBy, phone.offer(), Map.of());
        await().ignoreExceptions()
                .atMost(Duration.ofSeconds(20))
                .until(() -> worker.get(callId).getStatus().getMedia().getSdpAnswer() != null);
        phone.acceptAnswer(worker.get(callId).getStatus().getMedia().getSdpAnswer());
        assertThat(phone.awaitConnected(Duration.ofSeconds(15))).isTrue();
        await().ignoreExceptions().atMost(Duration.ofSeconds(5)).until(() -> "Connected"
                .equals(worker.get(callId).getStatus().getMedia().getDtlsState()));
        return phone;
    }

    /**
     * acceptBy media: nobody signals the accept; the caller's first SRTP-authenticated media is it.
     * This phone sends from DTLS up (as WhatsApp does once a call is accepted), so the greeting
     * follows with no annotation and no Graph accept.
     */
    @Test
    void inMediaModeTheCallersFirstAuthenticatedMediaIsTheAcceptAndTheGreetingFollows() throws Exception {
        String callId = CALL_ID_PREFIX + "accept-by-media";
        try (SyntheticPhone phone = connect(callId, AcceptBy.media)) {
            phone.startRecording();
            await().atMost(Duration.ofSeconds(10)).until(() -> phone.stats().rtpReceived() > 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                short[] heard = phone.recording();
                return heard.length >= 24_000
                        && AudioAnalysis.dominant(heard, 0, heard.length, 24_000, 440, 660, 880)
                                        .hz()
                                == 660;
            });
            var call = worker.get(callId);
            assertThat(call.getMetadata().getAnnotations()).doesNotContainKey(Labels.ACCEPTED_ANNOTATION);
            assertThat(call.getStatus().getWhatsapp()).isNull();
            worker.hangUp(callId, EndReason.ApiHangup);
            await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> worker.get(callId).getStatus().getEnd() != null);
        }
        assertThat(logged).anySatisfy(r -> assertThat(r.getMessage())
                .contains("event=call.accepted")
                .contains("by=caller-media"));
    }

    /** Modes with an accept signal; in media mode the phone's own media is the signal (above). */
    @ParameterizedTest
    @EnumSource(
            value = AcceptBy.class,
            names = {"bridge", "caller"})
    void noMediaReachesThePhoneBeforeTheAcceptedSignalThenTheGreetingDoes(AcceptBy acceptBy) throws Exception {
        String callId = CALL_ID_PREFIX + "accept-" + acceptBy;
        // Transcripts are an opt-in at FINE: on here, to prove they still stay off INFO.
        Logger transcripts = Logger.getLogger("voicebridge.agent.transcript");
        Level before = transcripts.getLevel();
        transcripts.setLevel(Level.FINE);
        try (SyntheticPhone phone = connect(callId, acceptBy)) {
            // DTLS is up and the agent is warm: the old worker greeted 350–600 ms after DTLS.
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> phone.mediaDatagramsReceived() == 0);

            phone.startRecording();
            worker.accepted(callId, acceptBy);
            await().atMost(Duration.ofSeconds(10)).until(() -> phone.stats().rtpReceived() > 0);
            // The greeting (the embedded agent's 300 ms beep at 660 Hz) is heard.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                short[] heard = phone.recording();
                return heard.length >= 24_000
                        && AudioAnalysis.rms(heard, 0, heard.length) > 0.02
                        && AudioAnalysis.dominant(heard, 0, heard.length, 24_000, 440, 660, 880)
                                        .hz()
                                == 660;
            });
            worker.hangUp(callId, EndReason.ApiHangup);
            await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> worker.get(callId).getStatus().getEnd() != null);
        } finally {
            transcripts.setLevel(before);
        }
        assertThat(logged)
                .anySatisfy(r -> assertThat(r.getLevel()).isEqualTo(Level.FINE))
                .anySatisfy(
                        r -> assertThat(new SimpleFormatter().formatMessage(r)).contains("event=agent.transcript"));
        assertNoCallIdOrTranscriptAtInfo(callId);
    }

    @Test
    void anApiCallNeverConfirmedAcceptedNeverSendsMedia() throws Exception {
        String callId = CALL_ID_PREFIX + "never-accepted";
        try (SyntheticPhone phone = connect(callId, AcceptBy.caller)) {
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> phone.mediaDatagramsReceived() == 0);
            worker.hangUp(callId, EndReason.ApiHangup);
            await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> worker.get(callId).getStatus().getEnd() != null);
            assertThat(phone.mediaDatagramsReceived()).isZero();
            assertThat(worker.get(callId).getStatus().getMedia().getPacketsOut())
                    .isZero();
        }
    }

    /** Who ends the flooded call. */
    enum Ender {
        /** A hang-up request (call API, or WhatsApp's terminate through the webhook). */
        HANGUP_REQUEST,
        /** The operator wrote the end itself; the worker must notice and stop its side. */
        OPERATOR
    }

    @ParameterizedTest
    @EnumSource(Ender.class)
    void aFloodedCallEndsEverywhereWithinASecond(Ender ender) throws Exception {
        String callId = CALL_ID_PREFIX + "flooded-" + ender;
        String name = CallNames.forCallId(callId);
        // The phone talks through a relay, so the flood comes from the very address ICE selected.
        try (UdpImpairmentRelay relay = UdpImpairmentRelay.start(TestNetwork.PHONE, null, ImpairmentConfig.none());
                SyntheticPhone phone = connect(callId, AcceptBy.caller, relay);
                Flood flood = new Flood(relay)) {
            worker.accepted(callId, AcceptBy.caller);
            await().atMost(Duration.ofSeconds(10)).until(() -> phone.stats().rtpReceived() > 50);

            flood.start();
            CallTransport session = worker.media.transport(name).orElseThrow();
            // The flood reaches the call: SRTP refuses it there (or its media queue drops it).
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                var stats = session.stats().get(2, TimeUnit.SECONDS);
                return stats.srtp().dropped() + stats.mailboxDrops() > 20_000;
            });

            long asked = System.nanoTime();
            switch (ender) {
                case HANGUP_REQUEST -> worker.hangUp(callId, EndReason.ApiHangup);
                case OPERATOR -> worker.endAsTheOperator(callId, EndReason.CallerHangup);
            }
            await().pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> worker.media.transports().isEmpty()
                            && worker.assigned.activeCalls() == 0
                            && worker.get(callId).getStatus().getEnd() != null);
            Duration took = Duration.ofNanos(System.nanoTime() - asked);
            System.out.printf(
                    "flooded call (%s) ended everywhere %d ms after the request; %d datagrams flooded, %d dropped"
                            + " from the call's media queue%n",
                    ender, took.toMillis(), flood.sent.get(), session.mailboxDrops());
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(session.isEnded()).isTrue();

            // Nothing more reaches the phone, and the end is the first writer's.
            long heard = phone.mediaDatagramsReceived();
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> phone.mediaDatagramsReceived() == heard);
            CallEnd end = worker.get(callId).getStatus().getEnd();
            switch (ender) {
                case HANGUP_REQUEST -> {
                    assertThat(end.getReason()).isEqualTo(EndReason.ApiHangup);
                    assertThat(end.getBy()).isEqualTo("media-worker/" + RealWorker.POD);
                }
                case OPERATOR -> assertThat(end.getBy()).isEqualTo("operator");
            }
        }
        assertNoCallIdOrTranscriptAtInfo(callId);
    }

    /** The worker logs calls by resource name at INFO; call ids and transcripts only at FINE. */
    private void assertNoCallIdOrTranscriptAtInfo(String callId) {
        var formatter = new SimpleFormatter();
        List<String> atInfo = logged.stream()
                .filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                .map(r -> r.getLoggerName() + ": " + formatter.formatMessage(r))
                .toList();
        assertThat(atInfo).noneMatch(line -> line.contains(callId) || line.contains("wacid."));
        assertThat(atInfo)
                .noneMatch(line -> line.contains("event=agent.transcript") || line.contains("speak and hear yourself"));
    }

    /** RTP-shaped garbage from the peer's address, bursts of 50 a millisecond, until closed. */
    private static final class Flood implements AutoCloseable {
        final AtomicLong sent = new AtomicLong();
        private final UdpImpairmentRelay relay;
        private volatile boolean stopped;
        private Thread thread;

        Flood(UdpImpairmentRelay relay) {
            this.relay = relay;
        }

        void start() {
            thread = Thread.ofPlatform().name("flood").daemon().start(() -> {
                var random = new Random(11);
                while (!stopped) {
                    for (int i = 0; i < 50; i++) {
                        byte[] datagram = new byte[60 + random.nextInt(100)];
                        random.nextBytes(datagram);
                        datagram[0] = (byte) 0x80; // RFC 7983: RTP/RTCP, routed to the call by address
                        datagram[1] = 111;
                        relay.injectAsPeer(datagram);
                        sent.incrementAndGet();
                    }
                    // Paces the load generator (1 ms per burst), it is not waiting for a condition.
                    LockSupport.parkNanos(1_000_000);
                }
            });
        }

        @Override
        public void close() {
            stopped = true;
            if (thread != null) {
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
