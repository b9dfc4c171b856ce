package dev.voicebridge.testkit.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusDecoder;
import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.media.codec.OpusEncoderSettings;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.Signals;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The phone's playout, tick by tick: what it plays, not how it stores it. */
class PhoneJitterBufferTest {
    private static final long TS0 = 0xFFFF_F000L; // wraps the 32-bit timestamp within the test

    private final OpusEncoder encoder = OpusCodecs.encoder(new OpusEncoderSettings(20_000, false, 0, -1));
    private final OpusDecoder decoder = OpusCodecs.decoder();
    private final PhoneJitterBuffer buffer = new PhoneJitterBuffer(decoder);
    private final short[] tone = Signals.tone(660, 0.3, 10_000);
    private final short[] frame = new short[480];
    private final short[] scratch = new short[OpusDecoder.MAX_FRAME_SAMPLES];

    @AfterEach
    void close() {
        encoder.close();
        decoder.close();
    }

    /** Frame {@code i} of the sender's timeline (20 ms of tone), sent with its timestamp. */
    private void send(long i) {
        byte[] out = new byte[OpusEncoder.MAX_PACKET_BYTES];
        int from = (int) (i % 400) * 480;
        int n = encoder.encode(Arrays.copyOfRange(tone, from, from + 480), out, 0);
        buffer.offer(TS0 + i * 960, Arrays.copyOf(out, n));
    }

    /** One pacing tick: true when the phone played the tone (not silence, not a concealed fade). */
    private boolean tick() {
        long before = buffer.concealed();
        buffer.playout(frame, scratch);
        var d = AudioAnalysis.dominant(frame, 0, 480, 24_000, 440, 660, 1000);
        return buffer.concealed() == before && d.hz() == 660 && d.share() > 0.8;
    }

    private int heard(int ticks) {
        int n = 0;
        for (int t = 0; t < ticks; t++) {
            n += tick() ? 1 : 0;
        }
        return n;
    }

    @Test
    void aSenderThatSkippedTicksIsHeardRightAfterItsGap() {
        // The sender's pacer stalls for 12 ticks and skips them: the timestamp jumps by 12 frames
        // while the sequence stays contiguous (the worker's RtpPacketizer under CPU starvation).
        long i = 0;
        for (; i < 10; i++) {
            send(i);
            tick();
        }
        for (int t = 0; t < 12; t++) {
            tick(); // nothing arrives while the sender is stalled
        }
        i += 12;
        int heard = 0;
        for (int t = 0; t < 50; t++) {
            send(i++);
            heard += tick() ? 1 : 0;
        }
        // 50 frames sent after the gap: all but the playout cushion and Opus's decoder re-entry
        // after concealment are heard as the tone.
        assertThat(heard).isGreaterThanOrEqualTo(50 - PhoneJitterBuffer.DEPTH_TICKS - 2);
        assertThat(buffer.late()).isZero();
    }

    @Test
    void packetsThatKeepArrivingLateMakeItRebufferInsteadOfGoingDeaf() {
        long i = 0;
        for (; i < 10; i++) {
            send(i);
            tick();
        }
        // The network holds the sender's packets for 300 ms: playout conceals past their slots...
        for (int t = 0; t < 15; t++) {
            tick();
        }
        // ...then they trickle in, each one 15 frames behind playout.
        int heard = 0;
        for (int t = 0; t < 60; t++) {
            send(i++);
            heard += tick() ? 1 : 0;
        }
        assertThat(buffer.resyncs()).isEqualTo(1);
        assertThat(buffer.late()).isEqualTo(PhoneJitterBuffer.RESYNC_AFTER_LATE);
        assertThat(heard).isGreaterThanOrEqualTo(60 - PhoneJitterBuffer.DEPTH_TICKS - 4);
    }

    @Test
    void aTimestampJumpFarAheadRestartsPlayoutThere() {
        long i = 0;
        for (; i < 10; i++) {
            send(i);
            tick();
        }
        i += 10_000; // a new timeline (the sender restarted its clock)
        int heard = 0;
        for (int t = 0; t < 30; t++) {
            send(i++);
            heard += tick() ? 1 : 0;
        }
        assertThat(buffer.resyncs()).isEqualTo(1);
        assertThat(heard).isGreaterThanOrEqualTo(30 - PhoneJitterBuffer.DEPTH_TICKS - 2);
    }

    @Test
    void reorderedAndLostPacketsKeepTheSendersTimeline() {
        int[] order = {0, 2, 1, 3, 5, 4, 6, 8, 9, 10, 11, 12, 13, 14, 15}; // 7 is lost
        for (int seqIndex : order) {
            send(seqIndex);
        }
        int heard = heard(PhoneJitterBuffer.DEPTH_TICKS - 1 + 16);
        assertThat(buffer.concealed()).isEqualTo(1); // exactly the lost frame
        assertThat(buffer.late()).isZero();
        assertThat(heard).isGreaterThanOrEqualTo(14);
    }

    @Test
    void aCountingPlayoutConcealsExactlyTheSlotsWhosePacketsNeverCameOrCameTooLate() {
        // A load phone's playout: it never decodes, it only counts what a 20 ms playout would conceal.
        var counting = new PhoneJitterBuffer(null);
        long i = 0;
        for (; i < 10; i++) {
            counting.offer(TS0 + i * 960, PhoneJitterBuffer.COUNTED);
            counting.playoutCounting();
        }
        // Two packets lost, then one arrives after its slot was played (and one in its place).
        counting.offer(TS0 + (i + 2) * 960, PhoneJitterBuffer.COUNTED);
        counting.playoutCounting();
        counting.playoutCounting();
        counting.playoutCounting();
        i += 3;
        for (int t = 0; t < 20; t++, i++) {
            counting.offer(TS0 + i * 960, PhoneJitterBuffer.COUNTED);
            if (t == 5) {
                counting.offer(TS0 + 3 * 960, PhoneJitterBuffer.COUNTED); // a straggler, long after its slot
            }
            counting.playoutCounting();
        }

        assertThat(counting.concealed()).isEqualTo(2);
        assertThat(counting.late()).isEqualTo(1);
        assertThat(counting.resyncs()).isZero();
    }
}
