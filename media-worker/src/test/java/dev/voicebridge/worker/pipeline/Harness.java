package dev.voicebridge.worker.pipeline;

import dev.voicebridge.worker.audio.CallerAudioSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Drives CallMedia instances tick by tick on a manual clock: no threads, no sleeps, no sockets. */
public final class Harness {
    static final PeerMedia WHATSAPP =
            new PeerMedia(111, Optional.of(126), Optional.of(20_000), true, Optional.of(16_000));
    static final long TICK_NANOS = 20_000_000L;

    final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    final AtomicLong epochMillis = new AtomicLong(1_760_681_506_000L);

    /** Collects what a call sends. */
    public static final class CapturingOutput implements RtpOutput {
        public final List<byte[]> rtp = new ArrayList<>();
        public final List<byte[]> rtcp = new ArrayList<>();

        @Override
        public boolean sendRtp(byte[] packet, int offset, int length) {
            rtp.add(Arrays.copyOfRange(packet, offset, offset + length));
            return true;
        }

        @Override
        public boolean sendRtcp(byte[] packet, int offset, int length) {
            rtcp.add(Arrays.copyOfRange(packet, offset, offset + length));
            return true;
        }
    }

    /** Collects what a call delivers to the agent. */
    static final class CapturingSink implements CallerAudioSink {
        final List<short[]> frames = new ArrayList<>();
        final List<Boolean> concealed = new ArrayList<>();
        final StringBuilder digits = new StringBuilder();

        @Override
        public void onCallerAudio(short[] frame, boolean wasConcealed) {
            frames.add(frame.clone());
            concealed.add(wasConcealed);
        }

        @Override
        public void onDtmf(char digit) {
            digits.append(digit);
        }

        short[] pcm() {
            short[] all = new short[frames.size() * 480];
            for (int i = 0; i < frames.size(); i++) {
                System.arraycopy(frames.get(i), 0, all, i * 480, 480);
            }
            return all;
        }
    }

    CallMedia call(MediaConfig config, CallerAudioSink sink, RtpOutput output, long seed) {
        return new CallMedia(
                "wacid.test", config, WHATSAPP, sink, output, nanos::get, epochMillis::get, new SplittableRandom(seed));
    }

    void advance() {
        nanos.addAndGet(TICK_NANOS);
        epochMillis.addAndGet(20);
    }
}
