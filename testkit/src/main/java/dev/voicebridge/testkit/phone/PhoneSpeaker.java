package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusDecoder;
import dev.voicebridge.testkit.audio.PcmSource;
import java.util.Arrays;

/**
 * What the phone hears: received Opus through the {@link PhoneJitterBuffer} and the decoder, one
 * frame per pacing tick into a bounded recording, so the recording and what the phone played
 * share a timeline.
 *
 * <p>Threads: the selector thread {@link #offer offers}; the pacing thread {@link #tick ticks};
 * tests read the recording. The native decoder is freed by {@link #close()} under the lock its
 * user takes.
 */
final class PhoneSpeaker implements AutoCloseable {
    private final OpusDecoder decoder;
    private final short[] decoded = new short[OpusDecoder.MAX_FRAME_SAMPLES];
    private final PhoneJitterBuffer jitterBuffer;
    private final short[] played = new short[PcmSource.FRAME_SAMPLES];
    private final Object recordingLock = new Object();
    private final short[] recording;
    private int recorded;
    private volatile boolean recordingOn;
    private boolean closed;

    PhoneSpeaker(int recordSeconds) {
        this.decoder = OpusCodecs.decoder();
        this.jitterBuffer = new PhoneJitterBuffer(decoder);
        this.recording = new short[recordSeconds * PcmSource.SAMPLE_RATE];
    }

    /**
     * A speaker that never decodes or records, from the first packet on: its playout only counts
     * the frames it would conceal (load phones).
     */
    static PhoneSpeaker counting() {
        return new PhoneSpeaker();
    }

    private PhoneSpeaker() {
        this.decoder = null;
        this.jitterBuffer = new PhoneJitterBuffer(null);
        this.recording = new short[0];
        this.recordingOn = true;
    }

    /**
     * A received Opus packet ({@code len} bytes of {@code buf} from {@code off}, copied if kept);
     * ignored until recording starts. A counting speaker keeps only its timestamp. Selector thread.
     */
    void offer(long rtpTimestamp, byte[] buf, int off, int len) {
        if (recordingOn) {
            jitterBuffer.offer(
                    rtpTimestamp,
                    decoder == null ? PhoneJitterBuffer.COUNTED : Arrays.copyOfRange(buf, off, off + len));
        }
    }

    /** Starts (or restarts) recording from the next tick. */
    void startRecording() {
        synchronized (recordingLock) {
            recorded = 0;
            recordingOn = true;
        }
    }

    short[] recording() {
        synchronized (recordingLock) {
            return Arrays.copyOf(recording, recorded);
        }
    }

    /** One 20 ms of playout into the recording. Pacing thread. */
    void tick() {
        if (!recordingOn) {
            return;
        }
        if (decoder == null) {
            jitterBuffer.playoutCounting();
            return;
        }
        synchronized (decoder) {
            if (closed) {
                return;
            }
            jitterBuffer.playout(played, decoded);
        }
        synchronized (recordingLock) {
            if (recorded + PcmSource.FRAME_SAMPLES > recording.length) {
                return;
            }
            System.arraycopy(played, 0, recording, recorded, PcmSource.FRAME_SAMPLES);
            recorded += PcmSource.FRAME_SAMPLES;
        }
    }

    long concealed() {
        return jitterBuffer.concealed();
    }

    @Override
    public void close() {
        if (decoder == null) {
            return;
        }
        synchronized (decoder) {
            closed = true;
            decoder.close();
        }
    }
}
