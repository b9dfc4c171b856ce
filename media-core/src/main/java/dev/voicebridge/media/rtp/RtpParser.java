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
    private RtpParser() {}

    public static RtpParseResult parse(byte[] buf, int offset, int length) {
        if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
            return new RtpParseResult.Malformed("bounds");
        }
        if (length < RtpPacket.FIXED_HEADER_BYTES) {
            return new RtpParseResult.Malformed("short");
        }
        int b0 = u8(buf, offset);
        if ((b0 >>> 6) != 2) {
            return new RtpParseResult.Malformed("version");
        }
        boolean padding = (b0 & 0x20) != 0;
        boolean hasExtension = (b0 & 0x10) != 0;
        int csrcCount = b0 & 0x0F;
        int b1 = u8(buf, offset + 1);
        int payloadType = b1 & 0x7F;
        if (RtcpMux.isRtcpPayloadTypeByte(b1)) {
            // RFC 5761 4: these second-byte values are RTCP on a muxed port, never RTP.
            return new RtpParseResult.Malformed("rtcp");
        }
        int end = offset + length;
        int p = offset + RtpPacket.FIXED_HEADER_BYTES;
        if (end - p < 4 * csrcCount) {
            return new RtpParseResult.Malformed("csrc");
        }
        List<Long> csrcs = csrcCount == 0 ? List.of() : new ArrayList<>(csrcCount);
        for (int i = 0; i < csrcCount; i++, p += 4) {
            csrcs.add(u32(buf, p));
        }
        Optional<RtpPacket.HeaderExtension> extension = Optional.empty();
        if (hasExtension) {
            if (end - p < 4) {
                return new RtpParseResult.Malformed("extension");
            }
            int profile = u16(buf, p);
            int words = u16(buf, p + 2);
            if (end - p - 4 < 4 * words) {
                return new RtpParseResult.Malformed("extension");
            }
            extension = Optional.of(
                    new RtpPacket.HeaderExtension(profile, Arrays.copyOfRange(buf, p + 4, p + 4 + 4 * words)));
            p += 4 + 4 * words;
        }
        int payloadEnd = end;
        if (padding) {
            // RFC 3550 5.1: the last octet counts the padding, itself included.
            int pad = payloadEnd > p ? u8(buf, payloadEnd - 1) : 0;
            if (pad == 0 || pad > payloadEnd - p) {
                return new RtpParseResult.Malformed("padding");
            }
            payloadEnd -= pad;
        }
        return new RtpParseResult.Parsed(new RtpPacket(
                (b1 & 0x80) != 0,
                payloadType,
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
