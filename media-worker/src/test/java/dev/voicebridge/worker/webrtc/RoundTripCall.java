package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneArrivals;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.agent.AgentConfig;
import dev.voicebridge.worker.agent.AgentSnapshot;
import dev.voicebridge.worker.agent.CallAgent;
import dev.voicebridge.worker.agent.CallAgentSetup;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.model.ModelProvider;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One call through the real media path: the WhatsApp-like phone (ICE, DTLS-SRTP, Opus) talks to
 * the worker's CallTransport and pipeline, whose PCM ports are wired to a CallAgent on a fake model
 * service over a real WebSocket. The agent's own end of the call hangs the session up, as the
 * worker does.
 */
final class RoundTripCall implements AutoCloseable {
    record Ended(EndReason reason, String detail, long nanoTime) {}

    final SyntheticPhone phone;
    final CallTransport session;
    final CallAgent agent;
    final List<Ended> ends = new CopyOnWriteArrayList<>();
    private final RecordingListener listener = new RecordingListener();

    /** The session needs its sink before the agent (which needs the session's output) exists. */
    private static final class LateSink implements CallerAudioSink {
        volatile CallerAudioSink target;

        @Override
        public void onCallerAudio(short[] frame, boolean concealed) {
            var t = target;
            if (t != null) {
                t.onCallerAudio(frame, concealed);
            }
        }
    }

    /** Places the call and waits until ICE and DTLS are up; the model session is pre-warmed meanwhile. */
    RoundTripCall(WorkerFixture fixture, String callId, VoiceAgentSpec spec, ModelProvider provider) throws Exception {
        phone = fixture.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), PhoneOptions.defaults());
        var sink = new LateSink();
        session = fixture.engine.createCall(callId, phone.offer(), sink, listener);
        agent = new CallAgent(
                new CallAgentSetup(
                        callId,
                        spec,
                        null,
                        provider,
                        session.agentOutput(),
                        (reason, detail) -> {
                            ends.add(new Ended(reason, detail, System.nanoTime()));
                            session.hangup(reason);
                        },
                        null,
                        AgentConfig.DEFAULTS),
                new ObjectMapper());
        sink.target = agent;
        agent.start(); // pre-warm while ICE/DTLS run
        phone.acceptAnswer(session.answer());
        session.start();
        listener.connected.get(10, TimeUnit.SECONDS);
    }

    /** WhatsApp accepted: RTP flows, the phone records, the agent greets. */
    void accept() {
        session.markAccepted();
        phone.startRecording();
        agent.mediaUp();
    }

    long workerAudioFrames() throws Exception {
        return session.stats().get(2, TimeUnit.SECONDS).media().audioFramesOut();
    }

    AgentSnapshot snapshot() throws Exception {
        return agent.snapshot().get(2, TimeUnit.SECONDS);
    }

    /** Packets the phone received whose 20 ms are dominated by {@code hz} (among the test's tones). */
    List<PhoneArrivals.Arrival> arrivalsOf(double hz) {
        return phone.arrivals().stream().filter(a -> isTone(a.pcm(), 0, hz)).toList();
    }

    static boolean isTone(short[] pcm, int off, double hz) {
        var d = AudioAnalysis.dominant(pcm, off, 480, 24_000, 300, 440, 500, 550, 660, 1000);
        return AudioAnalysis.rms(pcm, off, 480) > 0.02 && d.hz() == hz && d.share() > 0.6;
    }

    /** 20 ms frames of what the phone played in which {@code hz} dominates. */
    static int framesOf(short[] pcm, double hz) {
        int n = 0;
        for (int off = 0; off + 480 <= pcm.length; off += 480) {
            if (isTone(pcm, off, hz)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Median correlation of 200 ms windows, each free to slip ±100 ms: a jitter buffer that grew
     * by a frame mid-utterance (under CPU contention) costs one window, not the whole score.
     * Unrelated audio scores below 0.1.
     */
    static double medianWindowCorrelation(short[] said, short[] heard) {
        var windows = AudioAnalysis.alignWindows(said, heard, 4_800, 4_800);
        assertThat(windows).as("windows of the sweep found in what was heard").hasSizeGreaterThanOrEqualTo(3);
        double[] c = windows.stream()
                .mapToDouble(AudioAnalysis.Alignment::correlation)
                .sorted()
                .toArray();
        return c[c.length / 2];
    }

    @Override
    public void close() {
        session.hangup(EndReason.CallerHangup);
        agent.close();
        phone.close();
    }
}
