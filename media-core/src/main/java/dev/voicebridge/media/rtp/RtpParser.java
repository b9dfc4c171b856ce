package dev.voicebridge.media.rtp;

import static dev.voicebridge.media.rtp.RtpHeaders.u16;
import static dev.voicebridge.media.rtp.RtpHeaders.u32;
import static dev.voicebridge.media.rtp.RtpHeaders.u8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Parses RTP (RFC 3550 5.1) from untrusted bytes. Stateless and thread-safe; never throws on bad input. */
public final class RtpParser {
    /** Why a header is refused; {@link #header} returns {@code -(index + 1)}. Safe as metric labels. */
    private static final String[] REASONS = {"bounds", "short", "version", "rtcp", "csrc", "extension"};

    private RtpParser() {}

    /**
     * Length of the header (fixed part, CSRCs and extension, RFC 3550 5.1 and 5.3.1) when the
     * bytes start with a whole RTP header, else -1. Works on SRTP too, whose header is in the clear
     * (RFC 3711 3.1); padding is not checked, since SRTP encrypts it. Allocation-free.
     */
    public static int headerLength(byte[] buf, int offset, int length) {
        int h = header(buf, offset, length);
        return h < 0 ? -1 : h;
    }

    private static int header(byte[] buf, int offset, int length) {
        if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
            return -1;
        }
        if (length < RtpPacket.FIXED_HEADER_BYTES) {
            return -2;
        }
        int b0 = u8(buf, offset);
        if ((b0 >>> 6) != 2) {
            return -3;
        }
        if (RtcpMux.isRtcpPayloadTypeByte(u8(buf, offset + 1))) {
            // RFC 5761 4: these second-byte values are RTCP on a muxed port, never RTP.
            return -4;
        }
        int h = RtpPacket.FIXED_HEADER_BYTES + 4 * (b0 & 0x0F);
        if (length < h) {
            return -5;
        }
        if ((b0 & 0x10) != 0) {
            if (length - h < 4) {
                return -6;
            }
            int words = u16(buf, offset + h + 2);
            if (length - h - 4 < 4 * words) {
                return -6;
            }
            h += 4 + 4 * words;
        }
        return h;
    }

    public static RtpParseResult parse(byte[] buf, int offset, int length) {
        int h = header(buf, offset, length);
        if (h < 0) {
            return new RtpParseResult.Malformed(REASONS[-h - 1]);
        }
        int b0 = u8(buf, offset);
        int b1 = u8(buf, offset + 1);
        int csrcCount = b0 & 0x0F;
        int p = offset + RtpPacket.FIXED_HEADER_BYTES;
        List<Long> csrcs = csrcCount == 0 ? List.of() : new ArrayList<>(csrcCount);
        for (int i = 0; i < csrcCount; i++, p += 4) {
            csrcs.add(u32(buf, p));
        }
        Optional<RtpPacket.HeaderExtension> extension = Optional.empty();
        if ((b0 & 0x10) != 0) {
            int words = u16(buf, p + 2);
            extension = Optional.of(
                    new RtpPacket.HeaderExtension(u16(buf, p), Arrays.copyOfRange(buf, p + 4, p + 4 + 4 * words)));
        }
        p = offset + h;
        int payloadEnd = offset + length;
        if ((b0 & 0x20) != 0) {
            // RFC 3550 5.1: the last octet counts the padding, itself included.
            int pad = payloadEnd > p ? u8(buf, payloadEnd - 1) : 0;
            if (pad == 0 || pad > payloadEnd - p) {
                return new RtpParseResult.Malformed("padding");
            }
            payloadEnd -= pad;
        }
        return new RtpParseResult.Parsed(new RtpPacket(
                (b1 & 0x80) != 0,
                b1 & 0x7F,
                u16(buf, offset + 2),
                u32(buf, offset + 4),
                u32(buf, offset + 8),
                csrcs,
                extension,
                Arrays.copyOfRange(buf, p, payloadEnd)));
    }

    public static RtpParseResult parse(byte[] datagram) {
        return parse(datagram, 0, datagram == null ? 0 : datagram.length);
    }
}
