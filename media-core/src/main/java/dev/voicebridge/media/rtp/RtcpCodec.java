package dev.voicebridge.media.rtp;

import static dev.voicebridge.media.rtp.RtpHeaders.put16;
import static dev.voicebridge.media.rtp.RtpHeaders.put32;
import static dev.voicebridge.media.rtp.RtpHeaders.u16;
import static dev.voicebridge.media.rtp.RtpHeaders.u32;
import static dev.voicebridge.media.rtp.RtpHeaders.u8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Compound RTCP (RFC 3550 6.1) build and parse. A compound we send is SR or RR first, then SDES
 * with our CNAME (6.1 requires both). Parsing validates every length before reading and returns
 * {@link RtcpParseResult.Malformed} instead of throwing.
 */
public final class RtcpCodec {
    private static final int CNAME = 1;

    private RtcpCodec() {}

    public sealed interface RtcpParseResult {
        record Parsed(List<RtcpPacket> packets) implements RtcpParseResult {}

        record Malformed(String reason) implements RtcpParseResult {}
    }

    public static byte[] serialize(List<RtcpPacket> packets) {
        int size = 0;
        for (RtcpPacket p : packets) {
            size += length(p);
        }
        byte[] out = new byte[size];
        int offset = 0;
        for (RtcpPacket p : packets) {
            offset += write(p, out, offset);
        }
        return out;
    }

    static int length(RtcpPacket p) {
        return switch (p) {
            case RtcpPacket.SenderReport sr ->
                28 + ReportBlock.BYTES * sr.reports().size();
            case RtcpPacket.ReceiverReport rr ->
                8 + ReportBlock.BYTES * rr.reports().size();
            case RtcpPacket.SourceDescription sdes ->
                4 + sdes.chunks().stream().mapToInt(RtcpCodec::chunkLength).sum();
            case RtcpPacket.Goodbye bye -> 4 + 4 * bye.ssrcs().size();
            case RtcpPacket.Other o ->
                throw new IllegalArgumentException("cannot serialize opaque RTCP type " + o.packetType());
        };
    }

    private static int chunkLength(RtcpPacket.SourceDescription.Chunk c) {
        int items = 4 + 2 + cnameBytes(c).length + 1; // ssrc, CNAME type+len+text, END
        return (items + 3) & ~3;
    }

    private static byte[] cnameBytes(RtcpPacket.SourceDescription.Chunk c) {
        byte[] b = c.cname().getBytes(StandardCharsets.UTF_8);
        if (b.length > 255) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        return b;
    }

    private static int write(RtcpPacket p, byte[] out, int o) {
        int len = length(p);
        int words = len / 4 - 1;
        switch (p) {
            case RtcpPacket.SenderReport sr -> {
                header(out, o, sr.reports().size(), RtcpPacket.SR, words);
                put32(out, o + 4, sr.ssrc());
                put32(out, o + 8, sr.ntpTimestamp() >>> 32);
                put32(out, o + 12, sr.ntpTimestamp());
                put32(out, o + 16, sr.rtpTimestamp());
                put32(out, o + 20, sr.packetCount());
                put32(out, o + 24, sr.octetCount());
                writeBlocks(sr.reports(), out, o + 28);
            }
            case RtcpPacket.ReceiverReport rr -> {
                header(out, o, rr.reports().size(), RtcpPacket.RR, words);
                put32(out, o + 4, rr.ssrc());
                writeBlocks(rr.reports(), out, o + 8);
            }
            case RtcpPacket.SourceDescription sdes -> {
                header(out, o, sdes.chunks().size(), RtcpPacket.SDES, words);
                int q = o + 4;
                for (var c : sdes.chunks()) {
                    byte[] text = cnameBytes(c);
                    put32(out, q, c.ssrc());
                    out[q + 4] = CNAME;
                    out[q + 5] = (byte) text.length;
                    System.arraycopy(text, 0, out, q + 6, text.length);
                    q += chunkLength(c); // END item and padding are the zeros already there
                }
            }
            case RtcpPacket.Goodbye bye -> {
                header(out, o, bye.ssrcs().size(), RtcpPacket.BYE, words);
                for (int i = 0; i < bye.ssrcs().size(); i++) {
                    put32(out, o + 4 + 4 * i, bye.ssrcs().get(i));
                }
            }
            case RtcpPacket.Other other -> throw new IllegalArgumentException("opaque");
        }
        return len;
    }

    private static void header(byte[] out, int o, int count, int type, int words) {
        if (count > 31) {
            throw new IllegalArgumentException("at most 31 report blocks / chunks per packet");
        }
        out[o] = (byte) (0x80 | count);
        out[o + 1] = (byte) type;
        put16(out, o + 2, words);
    }

    private static void writeBlocks(List<ReportBlock> blocks, byte[] out, int o) {
        for (ReportBlock b : blocks) {
            put32(out, o, b.ssrc());
            out[o + 4] = (byte) b.fractionLost();
            int lost = Math.max(-0x800000, Math.min(0x7FFFFF, b.cumulativeLost()));
            out[o + 5] = (byte) (lost >> 16);
            out[o + 6] = (byte) (lost >> 8);
            out[o + 7] = (byte) lost;
            put32(out, o + 8, b.extendedHighestSequence());
            put32(out, o + 12, b.jitter());
            put32(out, o + 16, b.lastSr());
            put32(out, o + 20, b.delaySinceLastSr());
            o += ReportBlock.BYTES;
        }
    }

    /**
     * True when the bytes start with a whole RTCP packet header of a muxed port (RFC 5761 4:
     * version 2, packet type 192..223) whose length fits. Works on SRTCP, whose first header is in
     * the clear (RFC 3711 3.4); the rest of a compound is encrypted. Allocation-free, never throws.
     */
    public static boolean firstHeaderFits(byte[] buf, int offset, int length) {
        if (buf == null || offset < 0 || length < 4 || offset > buf.length - length) {
            return false;
        }
        return (u8(buf, offset) >>> 6) == 2
                && RtcpMux.isRtcpPayloadTypeByte(u8(buf, offset + 1))
                && (u16(buf, offset + 2) + 1) * 4 <= length;
    }

    public static RtcpParseResult parse(byte[] buf, int offset, int length) {
        if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
            return new RtcpParseResult.Malformed("bounds");
        }
        var packets = new ArrayList<RtcpPacket>();
        int p = offset;
        int end = offset + length;
        while (p < end) {
            if (end - p < 4) {
                return new RtcpParseResult.Malformed("short");
            }
            int b0 = u8(buf, p);
            if ((b0 >>> 6) != 2) {
                return new RtcpParseResult.Malformed("version");
            }
            int count = b0 & 0x1F;
            int type = u8(buf, p + 1);
            int len = (u16(buf, p + 2) + 1) * 4;
            if (len > end - p) {
                return new RtcpParseResult.Malformed("length");
            }
            int bodyEnd = p + len;
            if ((b0 & 0x20) != 0) {
                int pad = u8(buf, bodyEnd - 1);
                if (pad == 0 || pad > len - 4) {
                    return new RtcpParseResult.Malformed("padding");
                }
                bodyEnd -= pad;
            }
            RtcpPacket parsed =
                    switch (type) {
                        case RtcpPacket.SR -> {
                            if (bodyEnd - p < 28 + ReportBlock.BYTES * count) {
                                yield null;
                            }
                            long ntp = (u32(buf, p + 8) << 32) | u32(buf, p + 12);
                            yield new RtcpPacket.SenderReport(
                                    u32(buf, p + 4),
                                    ntp,
                                    u32(buf, p + 16),
                                    u32(buf, p + 20),
                                    u32(buf, p + 24),
                                    blocks(buf, p + 28, count));
                        }
                        case RtcpPacket.RR -> {
                            if (bodyEnd - p < 8 + ReportBlock.BYTES * count) {
                                yield null;
                            }
                            yield new RtcpPacket.ReceiverReport(u32(buf, p + 4), blocks(buf, p + 8, count));
                        }
                        case RtcpPacket.SDES -> sdes(buf, p, bodyEnd, count);
                        case RtcpPacket.BYE -> {
                            if (bodyEnd - p < 4 + 4 * count) {
                                yield null;
                            }
                            var ssrcs = new ArrayList<Long>(count);
                            for (int i = 0; i < count; i++) {
                                ssrcs.add(u32(buf, p + 4 + 4 * i));
                            }
                            yield new RtcpPacket.Goodbye(ssrcs);
                        }
                        default -> new RtcpPacket.Other(type, count, len);
                    };
            if (parsed == null) {
                return new RtcpParseResult.Malformed("type " + type + " body");
            }
            packets.add(parsed);
            p += len;
        }
        if (packets.isEmpty()) {
            return new RtcpParseResult.Malformed("empty");
        }
        return new RtcpParseResult.Parsed(packets);
    }

    private static List<ReportBlock> blocks(byte[] b, int o, int count) {
        var list = new ArrayList<ReportBlock>(count);
        for (int i = 0; i < count; i++, o += ReportBlock.BYTES) {
            int lost = (b[o + 5] << 16) | ((b[o + 6] & 0xFF) << 8) | (b[o + 7] & 0xFF); // sign from b[o+5]
            list.add(new ReportBlock(
                    u32(b, o), u8(b, o + 4), lost, u32(b, o + 8), u32(b, o + 12), u32(b, o + 16), u32(b, o + 20)));
        }
        return list;
    }

    private static RtcpPacket sdes(byte[] b, int packetStart, int end, int count) {
        int p = packetStart + 4;
        var chunks = new ArrayList<RtcpPacket.SourceDescription.Chunk>(count);
        for (int c = 0; c < count; c++) {
            if (end - p < 4) {
                return null;
            }
            long ssrc = u32(b, p);
            p += 4;
            String cname = null;
            while (true) {
                if (p >= end) {
                    return null;
                }
                int itemType = u8(b, p);
                if (itemType == 0) {
                    p++;
                    break;
                }
                if (end - p < 2 || end - p - 2 < u8(b, p + 1)) {
                    return null;
                }
                int itemLen = u8(b, p + 1);
                if (itemType == CNAME) {
                    cname = new String(b, p + 2, itemLen, StandardCharsets.UTF_8);
                }
                p += 2 + itemLen;
            }
            p = packetStart + ((p - packetStart + 3) & ~3); // chunks are 32-bit aligned (RFC 3550 6.5)
            chunks.add(new RtcpPacket.SourceDescription.Chunk(ssrc, cname == null ? "" : cname));
        }
        return new RtcpPacket.SourceDescription(chunks);
    }
}
