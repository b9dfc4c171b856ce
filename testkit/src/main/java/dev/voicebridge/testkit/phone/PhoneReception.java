package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.rtp.NtpTime;
import dev.voicebridge.media.rtp.ReceptionStatistics;
import dev.voicebridge.media.rtp.ReportBlock;
import dev.voicebridge.media.rtp.RtcpCodec;
import dev.voicebridge.media.rtp.RtcpPacket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a load phone measures about the audio it receives, without decoding it: the interval
 * between consecutive packets (a histogram, what a caller's jitter buffer has to absorb), when the
 * agent's talk spurts begin (packets with the RTP marker), when its own talk spurts were sent,
 * and the RFC 3550 reception statistics its RTCP reports carry.
 *
 * <p>Threads: the selector thread records arrivals, the pacing thread sends, a test takes
 * {@link #snapshot}s; everything here is under the object's lock, held for nanoseconds.
 */
final class PhoneReception {
    /** Gap histogram resolution and range: 0.1 ms buckets up to 500 ms; longer gaps count in the last. */
    static final int BUCKET_MICROS = 100;

    static final int BUCKETS = 5001;
    private static final int EVENTS = 512;

    private final ReceptionStatistics statistics = new ReceptionStatistics(48_000);
    private final long[] gaps = new long[BUCKETS];
    private final long[] agentOnsets = new long[EVENTS];
    private final long[] callerOnsets = new long[EVENTS];
    private int agentOnsetCount;
    private int callerOnsetCount;
    private long packets;
    private long maxGapNanos;
    private long lastArrivalNanos;
    private long firstPacketNanos;

    /**
     * The least Opus payload taken for speech: at 20 kb/s a 20 ms speech frame is about 50 bytes,
     * a frame of silence a few (RFC 6716 3.1: the TOC byte and a frame that codes nothing).
     */
    static final int SPEECH_MIN_BYTES = 20;

    /** One authenticated RTP packet from the worker, by its header fields (selector thread). */
    synchronized void onRtp(
            long ssrc, int sequence, long timestamp, boolean marker, int payloadBytes, long arrivalNanos) {
        statistics.onPacket(ssrc, sequence, timestamp, arrivalNanos);
        if (packets++ == 0) {
            firstPacketNanos = arrivalNanos;
        } else {
            long gap = arrivalNanos - lastArrivalNanos;
            maxGapNanos = Math.max(maxGapNanos, gap);
            gaps[(int) Math.min(BUCKETS - 1, gap / 1000 / BUCKET_MICROS)]++;
        }
        lastArrivalNanos = arrivalNanos;
        // The first packet carries the marker whatever it holds; a talk spurt's first one too. The
        // first packet starts a spurt when it holds speech: a greeting sent at once on accept.
        if (marker && (packets > 1 || payloadBytes >= SPEECH_MIN_BYTES) && agentOnsetCount < EVENTS) {
            agentOnsets[agentOnsetCount++] = arrivalNanos;
        }
    }

    /** The phone sent the first packet of one of its talk spurts (pacing thread). */
    synchronized void onCallerOnset(long sentNanos) {
        if (callerOnsetCount < EVENTS) {
            callerOnsets[callerOnsetCount++] = sentNanos;
        }
    }

    /** An SR (we send, too) with a report block about the worker's stream, and our SDES. */
    synchronized byte[] senderReport(long ssrc, long rtpTimestamp, long sent, long octets, long nowNanos) {
        List<ReportBlock> blocks = new ArrayList<>(1);
        if (statistics.hasSource()) {
            blocks.add(statistics.reportBlock(nowNanos));
        }
        return RtcpCodec.serialize(List.of(
                new RtcpPacket.SenderReport(
                        ssrc,
                        NtpTime.fromEpochMillis(System.currentTimeMillis()),
                        rtpTimestamp,
                        sent & 0xFFFF_FFFFL,
                        octets & 0xFFFF_FFFFL,
                        blocks),
                new RtcpPacket.SourceDescription(
                        List.of(new RtcpPacket.SourceDescription.Chunk(ssrc, "load-" + Long.toHexString(ssrc))))));
    }

    /** Decrypted RTCP from the worker: its SRs' times go into our next report block (its RTT). */
    synchronized void onRtcp(byte[] buf, int off, int len, long arrivalNanos) {
        if (RtcpCodec.parse(buf, off, len) instanceof RtcpCodec.RtcpParseResult.Parsed(var packets)) {
            for (RtcpPacket p : packets) {
                if (p instanceof RtcpPacket.SenderReport sr) {
                    statistics.onSenderReport(sr.ntpTimestamp(), arrivalNanos);
                }
            }
        }
    }

    /** Forgets the gaps and events so far (the start of a measurement window). */
    synchronized void reset() {
        Arrays.fill(gaps, 0);
        agentOnsetCount = 0;
        callerOnsetCount = 0;
        maxGapNanos = 0;
        packets = packets == 0 ? 0 : 1; // the next gap is measured from the last packet
    }

    synchronized ReceptionSnapshot snapshot(long concealedFrames) {
        return new ReceptionSnapshot(
                Math.max(0, packets - 1),
                gaps.clone(),
                maxGapNanos,
                concealedFrames,
                statistics.hasSource() ? statistics.cumulativeLost() : 0,
                firstPacketNanos,
                Arrays.copyOf(agentOnsets, agentOnsetCount),
                Arrays.copyOf(callerOnsets, callerOnsetCount));
    }
}
