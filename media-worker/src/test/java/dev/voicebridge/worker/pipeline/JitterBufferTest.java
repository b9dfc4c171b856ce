package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

class JitterBufferTest {
    private static RtpPacket packet(int seq) {
        return new RtpPacket(false, 111, seq & 0xFFFF, seq * 960L & 0xFFFF_FFFFL, 1, new byte[] {(byte) seq});
    }

    /** A packet of the sender's {@code seq}-th send, carrying the audio of 20 ms frame {@code frame}. */
    private static RtpPacket packet(int seq, long frame) {
        return new RtpPacket(false, 111, seq & 0xFFFF, frame * 960L & 0xFFFF_FFFFL, 1, new byte[] {(byte) seq});
    }

    private static int played(JitterBuffer.Playout p) {
        return ((JitterBuffer.Playout.Packet) p).packet().sequenceNumber();
    }

    @Test
    void buffersToTheMinimumDepthThenReordersAcrossTheSequenceWrap() {
        var jb = new JitterBuffer(2, 10);
        jb.insert(packet(65534));
        assertThat(jb.poll()).isInstanceOf(JitterBuffer.Playout.Buffering.class);
        jb.insert(packet(65536)); // seq 0 arrives before 65535
        jb.insert(packet(65535));
        assertThat(played(jb.poll())).isEqualTo(65534);
        assertThat(played(jb.poll())).isEqualTo(65535);
        assertThat(played(jb.poll())).isEqualTo(0);
        assertThat(jb.latePackets()).isZero();
    }

    @Test
    void anEarlierPacketArrivingWhileBufferingMovesTheStartBack() {
        var jb = new JitterBuffer(2, 10);
        jb.insert(packet(11));
        jb.insert(packet(10));
        assertThat(played(jb.poll())).isEqualTo(10);
        assertThat(played(jb.poll())).isEqualTo(11);
    }

    @Test
    void countsDuplicatesBeforeAndAfterPlayout() {
        var jb = new JitterBuffer(2, 10);
        jb.insert(packet(1));
        jb.insert(packet(2));
        jb.insert(packet(2));
        assertThat(played(jb.poll())).isEqualTo(1);
        jb.insert(packet(1));
        assertThat(jb.duplicatePackets()).isEqualTo(2);
        assertThat(jb.latePackets()).isZero();
    }

    @Test
    void aGapOffersTheNextPacketForFecAndALatePacketGrowsTheTarget() {
        var jb = new JitterBuffer(2, 10);
        jb.insert(packet(1));
        jb.insert(packet(3));
        assertThat(played(jb.poll())).isEqualTo(1);
        var missing = (JitterBuffer.Playout.Missing) jb.poll();
        assertThat(missing.next().sequenceNumber()).isEqualTo(3);
        jb.insert(packet(2)); // too late: slot 2 was concealed
        assertThat(jb.latePackets()).isEqualTo(1);
        assertThat(jb.targetFrames()).isEqualTo(3);
        // Growing the depth costs one held tick, after which playout continues in order.
        assertThat(jb.poll()).isInstanceOf(JitterBuffer.Playout.Missing.class);
        assertThat(played(jb.poll())).isEqualTo(3);
    }

    @Test
    void targetNeverExceedsTheConfiguredMaximum() {
        var jb = new JitterBuffer(2, 4);
        int seq = 0;
        jb.insert(packet(seq++));
        jb.insert(packet(seq++));
        for (int i = 0; i < 50; i++) {
            jb.poll();
            jb.insert(packet(seq - 5)); // keeps arriving late
            jb.insert(packet(seq++));
        }
        assertThat(jb.targetFrames()).isEqualTo(4);
    }

    @Test
    void aBacklogIsShedToTheTargetWithinOneWindowAndStaysThere() {
        var jb = new JitterBuffer(2, 10);
        int seq = 0;
        for (; seq < 2; seq++) {
            jb.insert(packet(seq));
        }
        for (int tick = 0; tick < 20; tick++) {
            jb.poll();
            jb.insert(packet(seq++));
        }
        // 40 frames arrived on time but were not played: the pacer skipped their ticks.
        for (int i = 0; i < 40; i++) {
            jb.insert(packet(seq++));
        }
        assertThat(jb.depthFrames()).isGreaterThan(40);
        int ticks = 0;
        while (jb.depthFrames() > jb.targetFrames() + 1 && ticks < 100) {
            jb.poll();
            jb.insert(packet(seq++));
            ticks++;
        }
        assertThat(ticks).isLessThanOrEqualTo(JitterBuffer.BACKLOG_WINDOW_TICKS);
        assertThat(jb.backlogDroppedFrames()).isBetween(38L, 41L);
        for (int tick = 0; tick < 100; tick++) {
            int oldest = (seq - jb.depthFrames()) & 0xFFFF;
            assertThat(played(jb.poll())).isEqualTo(oldest);
            jb.insert(packet(seq++));
            assertThat(jb.depthFrames()).isLessThanOrEqualTo(jb.targetFrames() + 1);
        }
        assertThat(jb.latePackets()).isZero();
        assertThat(jb.targetFrames()).isEqualTo(2);
    }

    @Test
    void burstyArrivalsAreJitterNotBacklogAndLoseNothing() {
        var jb = new JitterBuffer(2, 10);
        int seq = 0;
        int played = 0;
        for (int tick = 0; tick < 500; tick++) {
            if (tick % 2 == 0) {
                // Two packets every other tick: the depth swings by a frame each tick.
                jb.insert(packet(seq++));
                jb.insert(packet(seq++));
            }
            if (jb.poll() instanceof JitterBuffer.Playout.Packet) {
                played++;
            }
        }
        assertThat(jb.backlogDroppedFrames()).isZero();
        assertThat(jb.latePackets()).isZero();
        assertThat(played).isGreaterThanOrEqualTo(500 - 2);
    }

    @Test
    void aLongSilenceFromThePeerRebuffersAndAJumpResyncs() {
        var jb = new JitterBuffer(2, 10);
        jb.insert(packet(100));
        jb.insert(packet(101));
        jb.poll();
        jb.poll();
        for (int i = 0; i < 30; i++) {
            jb.poll();
        }
        assertThat(jb.playing()).isFalse();
        jb.insert(packet(140));
        jb.insert(packet(141));
        assertThat(played(jb.poll())).isEqualTo(140);
        jb.insert(packet(30_000));
        assertThat(jb.resyncs()).isEqualTo(1);
        jb.insert(packet(30_001));
        assertThat(played(jb.poll())).isEqualTo(30_000);
    }

    /**
     * Opus DTX (RFC 7587 section 3.1.3) and silence suppression: during a pause the sender sends
     * one packet per 400 ms (or none), so its sequence numbers stay contiguous while its
     * timestamps skip 19 frames per packet (RFC 3550 5.1: the sequence counts packets, the
     * timestamp counts time). Each packet arrives exactly when its frame is due; none is late, and
     * the speech after the pause plays in full and at the sender's spacing.
     */
    @Test
    void aSenderThatSkipsTicksDuringAPauseIsNeitherLateNorCut() {
        var jb = new JitterBuffer(2, 10);
        // frame -> seq: 10 frames of speech, DTX every 20th frame for 2 s, then speech again.
        var sent = new java.util.TreeMap<Long, Integer>();
        int seq = 65_530; // the sequence wraps during the pause
        for (long frame = 0; frame < 200; frame++) {
            boolean speaking = frame < 10 || frame >= 110;
            if (speaking || frame % 20 == 0) {
                sent.put(frame, seq++ & 0xFFFF);
            }
        }
        var playedAt = new java.util.HashMap<Integer, Integer>();
        for (int tick = 0; tick < 240; tick++) {
            Integer s = sent.get((long) tick);
            if (s != null) {
                jb.insert(packet(s, tick));
            }
            if (jb.poll() instanceof JitterBuffer.Playout.Packet(RtpPacket p)) {
                playedAt.put(p.sequenceNumber(), tick);
            }
        }
        assertThat(jb.latePackets()).isZero();
        assertThat(playedAt.keySet()).containsAll(sent.tailMap(100L).values());
        int lastDtx = sent.get(100L);
        int resumed = sent.get(110L);
        assertThat(playedAt.get(resumed) - playedAt.get(lastDtx)).isEqualTo(10);
    }

    /**
     * RFC 4733 events carry their start timestamp on every packet (and may run on an 8 kHz clock):
     * they take the slots after the audio they follow by sequence, and free no slot of audio.
     */
    @Test
    void telephoneEventsFillTheSlotsAfterTheAudioTheyFollow() {
        var jb = new JitterBuffer(2, 10);
        jb.insert(packet(1, 1));
        jb.insert(packet(2, 2));
        var event = new RtpPacket(false, 126, 3, 7, 1, new byte[] {1, 0, 0, (byte) 160});
        jb.insertEvent(event);
        jb.insertEvent(new RtpPacket(false, 126, 4, 7, 1, new byte[] {1, 0, 1, 64}));
        jb.insert(packet(5, 5));
        assertThat(played(jb.poll())).isEqualTo(1);
        assertThat(played(jb.poll())).isEqualTo(2);
        assertThat(played(jb.poll())).isEqualTo(3);
        assertThat(played(jb.poll())).isEqualTo(4);
        assertThat(played(jb.poll())).isEqualTo(5);
        assertThat(jb.latePackets()).isZero();
    }
}
