package dev.voicebridge.worker.webrtc;

import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.CallerAudioSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent plane as a mirror: every caller frame is queued back as agent audio through the PCM
 * ports (CallerAudioSink → AgentAudioOutput), so what the caller says comes back to the caller
 * through the whole receive and send pipeline. Also collects DTMF digits.
 */
final class LoopbackSink implements CallerAudioSink {
    private volatile AgentAudioOutput output;
    final List<Character> digits = new CopyOnWriteArrayList<>();
    final AtomicLong frames = new AtomicLong();
    final AtomicLong concealed = new AtomicLong();

    void connect(AgentAudioOutput value) {
        this.output = value;
    }

    @Override
    public void onCallerAudio(short[] frame, boolean wasConcealed) {
        frames.incrementAndGet();
        if (wasConcealed) {
            concealed.incrementAndGet();
        }
        AgentAudioOutput out = output;
        if (out != null) {
            out.enqueue("loopback", frame.clone());
        }
    }

    @Override
    public void onDtmf(char digit) {
        digits.add(digit);
    }
}
