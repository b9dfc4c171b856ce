package dev.voicebridge.media.rtp;

import static dev.voicebridge.media.rtp.RtpHeaders.put16;
import static dev.voicebridge.media.rtp.RtpHeaders.put32;
import static dev.voicebridge.media.rtp.RtpHeaders.u16;
import static dev.voicebridge.media.rtp.RtpHeaders.u32;
import static dev.voicebridge.media.rtp.RtpHeaders.u8;

/**
 * One outgoing RTP stream made of packets forwarded, payload untouched, from another session's
 * streams: what an RTP translator that joins two sessions does (RFC 3550 section 7.1, RFC 7667
 * section 3.2.1.2, "media translator" without transcoding). Each forwarded packet gets our SSRC,
 * our payload type, and sequence numbers and timestamps that continue our own stream:
 *
 * <ul>
 *   <li>within one source the numbering follows the source's own differences, so its losses and
 *       reordering reach the receiver as they were (its jitter buffer and concealment deal with
 *       them), across the 16-bit and 32-bit wraps;
 *   <li>a new source (another SSRC: the far side restarted its stream, or a new session took over)
 *       continues our stream at the next sequence number, with the timestamp advanced by the real
 *       time since our last packet and the marker bit set, so the receiver sees one stream with a
 *       pause, not a jump (RFC 3550 5.1: timestamps advance with the sampling clock, sequence
 *       numbers by one per packet); packets of a source already replaced are dropped;
 *   <li>CSRCs, header extensions (whose ids were negotiated on the other leg) and padding are not
 *       carried over.
 * </ul>
 *
 * <p>Allocation-free; not thread-safe (one thread forwards a stream). Malformed input is refused
 * as a value and counted, never thrown.
 */
public final class RtpStreamRewriter {
    /** {@link #rewrite} returns this when a packet is not forwarded (malformed, or of a replaced source). */
    public static final int NOT_FORWARDED = -1;

    private final long ssrc;
    private final int clockRate;
    private boolean started;
    private long sourceSsrc;
    private long replacedSsrc = -1;
    private int sourceSeqBase;
    private long sourceTsBase;
    private int seqBase;
    private long tsBase;
    private int lastSeq;
    private long lastTs;
    private long lastNanos;
    private long forwarded;
    private long malformed;
    private long stale;
    private long sourceChanges;

    /**
     * @param ssrc our stream's SSRC
     * @param clockRate the payload's RTP clock (48 000 for Opus, RFC 7587 4.1)
     * @param firstSeq our first sequence number (random, RFC 3550 5.1)
     * @param firstTimestamp our first timestamp (random, RFC 3550 5.1)
     */
    public RtpStreamRewriter(long ssrc, int clockRate, int firstSeq, long firstTimestamp) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clockRate must be positive: " + clockRate);
        }
        this.ssrc = ssrc & 0xFFFF_FFFFL;
        this.clockRate = clockRate;
        this.lastSeq = (firstSeq - 1) & 0xFFFF;
        this.lastTs = firstTimestamp & 0xFFFF_FFFFL;
    }

    /**
     * Writes the plaintext RTP packet {@code in[off, off + len)} into {@code out} at {@code outOff}
     * as a packet of our stream with payload type {@code payloadType}.
     *
     * @param nowNanos the arrival time (any monotonic clock), for the timestamp across a source change
     * @return the length written, or {@link #NOT_FORWARDED}
     */
    public int rewrite(byte[] in, int off, int len, int payloadType, byte[] out, int outOff, long nowNanos) {
        int header = RtpParser.headerLength(in, off, len);
        if (header < 0) {
            malformed++;
            return NOT_FORWARDED;
        }
        int payloadEnd = off + len;
        if ((u8(in, off) & 0x20) != 0) { // padding: its last byte counts it, itself included
            int pad = len > header ? u8(in, payloadEnd - 1) : 0;
            if (pad == 0 || pad > len - header) {
                malformed++;
                return NOT_FORWARDED;
            }
            payloadEnd -= pad;
        }
        int payload = payloadEnd - off - header;
        if (out.length - outOff < RtpPacket.FIXED_HEADER_BYTES + payload) {
            throw new IllegalArgumentException("out has no room for a " + payload + "-byte payload");
        }
        long source = u32(in, off + 8);
        int seq = u16(in, off + 2);
        long ts = u32(in, off + 4);
        boolean marker = (u8(in, off + 1) & 0x80) != 0;
        if (!started || source != sourceSsrc) {
            if (started && source == replacedSsrc) {
                stale++;
                return NOT_FORWARDED;
            }
            if (started) {
                replacedSsrc = sourceSsrc;
                sourceChanges++;
            }
            long elapsed = started ? Math.max(1, (nowNanos - lastNanos) * clockRate / 1_000_000_000L) : 0;
            sourceSsrc = source;
            sourceSeqBase = seq;
            sourceTsBase = ts;
            seqBase = (lastSeq + 1) & 0xFFFF;
            tsBase = (lastTs + elapsed) & 0xFFFF_FFFFL;
            marker = true;
            started = true;
        }
        int outSeq = (seqBase + seq - sourceSeqBase) & 0xFFFF;
        long outTs = (tsBase + ts - sourceTsBase) & 0xFFFF_FFFFL;
        // The newest packet sets where a later source continues; a late one of this source does not.
        if (SequenceNumbers.isNewer(outSeq, lastSeq)) {
            lastSeq = outSeq;
            lastTs = outTs;
            lastNanos = nowNanos;
        }
        out[outOff] = (byte) 0x80;
        out[outOff + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        put16(out, outOff + 2, outSeq);
        put32(out, outOff + 4, outTs);
        put32(out, outOff + 8, ssrc);
        System.arraycopy(in, off + header, out, outOff + RtpPacket.FIXED_HEADER_BYTES, payload);
        forwarded++;
        return RtpPacket.FIXED_HEADER_BYTES + payload;
    }

    public long ssrc() {
        return ssrc;
    }

    /** Packets written. */
    public long forwarded() {
        return forwarded;
    }

    /** Packets refused as not RTP (bad header, CSRC or extension bounds, padding count). */
    public long malformed() {
        return malformed;
    }

    /** Packets of a source that another had already replaced. */
    public long stale() {
        return stale;
    }

    /** Times a new source took over the stream. */
    public long sourceChanges() {
        return sourceChanges;
    }
}
