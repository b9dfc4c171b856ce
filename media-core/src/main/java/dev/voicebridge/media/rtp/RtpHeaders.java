package dev.voicebridge.media.rtp;

import java.util.List;

/** Big-endian field access shared by the RTP and RTCP codecs. */
final class RtpHeaders {
    private RtpHeaders() {}

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    /** Writes the fixed header, CSRCs and extension; returns the payload offset. */
    static int writeHeader(
            byte[] out,
            int offset,
            boolean marker,
            int payloadType,
            int seq,
            long timestamp,
            long ssrc,
            List<Long> csrcs,
            RtpPacket.HeaderExtension extension) {
        out[offset] = (byte) (0x80 | (extension != null ? 0x10 : 0) | csrcs.size());
        out[offset + 1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        put16(out, offset + 2, seq);
        put32(out, offset + 4, timestamp);
        put32(out, offset + 8, ssrc);
        int p = offset + RtpPacket.FIXED_HEADER_BYTES;
        for (long csrc : csrcs) {
            put32(out, p, csrc);
            p += 4;
        }
        if (extension != null) {
            put16(out, p, extension.profile());
            put16(out, p + 2, extension.data().length / 4);
            System.arraycopy(extension.data(), 0, out, p + 4, extension.data().length);
            p += 4 + extension.data().length;
        }
        return p;
    }
}
