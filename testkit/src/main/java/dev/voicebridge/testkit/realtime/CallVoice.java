package dev.voicebridge.testkit.realtime;

import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.phone.EncodedAudio;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fake model's voice on a WebRTC call: the {@link PcmSource} its call's phone encodes and
 * sends every 20 ms, in real time. It plays the current response's audio as far as the model has
 * generated it, then silence (the phone keeps sending, as OpenAI's peer does). A response's audio
 * ends by itself ({@link Listener#stopped}) or is cut by the session ({@link #cut}: barge-in,
 * cancel, {@code output_audio_buffer.clear}).
 *
 * <p>Threads: {@link #next} runs on the phone host's pacing thread; the session plays and cuts on
 * its executor. Whoever takes a playback out of {@link #current} (the pacing thread when it ends,
 * the session when it cuts) is the only one to report its end.
 */
final class CallVoice implements PcmSource {

    /** Hears a playback's progress, on the pacing thread: quick, hand work over. */
    interface Listener {
        /** The first samples went to the encoder. */
        void started(Playback p);

        /** {@code offset} samples in, a 20 ms frame went to the encoder at {@code nanoTime}. */
        void sent(Playback p, int offset, long nanoTime);

        /** All of it was played. */
        void stopped(Playback p);
    }

    /** One response's audio as it goes out. */
    static final class Playback {
        final String responseId;
        final String itemId;
        final short[] pcm;
        final Listener listener;
        /** Samples the model has generated so far (the session writes it). */
        volatile int generated;
        /** Samples played so far (the pacing thread writes it). */
        volatile int played;
        /** Whether the session told the client the audio started (the session's executor only). */
        boolean announced;

        /** {@link #pcm} encoded ahead, one packet per whole 20 ms frame; null: encoded live. */
        final EncodedAudio encoded;

        Playback(String responseId, String itemId, short[] pcm, EncodedAudio encoded, Listener listener) {
            this.responseId = responseId;
            this.itemId = itemId;
            this.pcm = pcm;
            this.encoded = encoded;
            this.listener = listener;
        }

        int playedMillis() {
            return (int) ((long) played * 1000 / SAMPLE_RATE);
        }
    }

    private final AtomicReference<Playback> current = new AtomicReference<>();
    /** The payload of the frame {@link #next} produced, when it was encoded ahead (pacing thread). */
    private byte[] encodedFrame;
    /** Whether that frame began a response's audio (pacing thread). */
    private boolean spurtStart;

    /** Plays {@code p} from the next frame on; returns the playback it cut short, or null. */
    Playback play(Playback p) {
        return current.getAndSet(p);
    }

    /** Stops the current playback now; returns it, or null when nothing was playing. */
    Playback cut() {
        return current.getAndSet(null);
    }

    /** Stops {@code p} if it is still playing; true when it was. */
    boolean cut(Playback p) {
        return current.compareAndSet(p, null);
    }

    Playback playing() {
        return current.get();
    }

    @Override
    public byte[] encodedFrame() {
        return encodedFrame;
    }

    @Override
    public boolean startsTalkSpurt() {
        return spurtStart;
    }

    @Override
    public void next(short[] frame) {
        Playback p = current.get();
        encodedFrame = null;
        spurtStart = false;
        if (p == null) {
            Arrays.fill(frame, (short) 0);
            return;
        }
        int at = p.played;
        int n = Math.max(0, Math.min(frame.length, p.generated - at));
        int index = at / frame.length;
        if (n == frame.length && at % frame.length == 0 && p.encoded != null && index < p.encoded.frames()) {
            encodedFrame = p.encoded.packet(index);
        }
        System.arraycopy(p.pcm, at, frame, 0, n);
        Arrays.fill(frame, n, frame.length, (short) 0);
        if (n > 0) {
            p.played = at + n; // before the listener hears of it: the session reads it
            if (at == 0) {
                spurtStart = true;
                p.listener.started(p);
            }
            p.listener.sent(p, at, System.nanoTime());
        }
        if (at + n >= p.pcm.length && current.compareAndSet(p, null)) {
            p.listener.stopped(p);
        }
    }
}
