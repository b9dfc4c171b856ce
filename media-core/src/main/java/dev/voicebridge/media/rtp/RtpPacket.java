package dev.voicebridge.media.rtp;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One RTP packet (RFC 3550 section 5.1), version 2. Padding is removed on parse and never added on
 * write (SRTP and Opus need none). The payload array is owned by the packet: do not modify it.
 *
 * @param sequenceNumber 0..65535
 * @param timestamp 0..2^32-1
 * @param ssrc 0..2^32-1
 * @param csrcs contributing sources, at most 15
 * @param extension the header extension (RFC 3550 5.3.1), raw
 */
public record RtpPacket(
        boolean marker,
        int payloadType,
        int sequenceNumber,
        long timestamp,
        long ssrc,
        List<Long> csrcs,
        Optional<HeaderExtension> extension,
        byte[] payload) {

    public static final int FIXED_HEADER_BYTES = 12;

    public RtpPacket {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
        if (sequenceNumber < 0 || sequenceNumber > 0xFFFF) {
            throw new IllegalArgumentException("sequence number " + sequenceNumber);
        }
        if (timestamp < 0 || timestamp > 0xFFFF_FFFFL || ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("timestamp/ssrc must be unsigned 32-bit");
        }
        csrcs = List.copyOf(csrcs);
        if (csrcs.size() > 15) {
            throw new IllegalArgumentException("at most 15 CSRCs");
        }
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(payload, "payload");
    }

    /** The common case: no CSRC, no extension. */
    public RtpPacket(boolean marker, int payloadType, int sequenceNumber, long timestamp, long ssrc, byte[] payload) {
        this(marker, payloadType, sequenceNumber, timestamp, ssrc, List.of(), Optional.empty(), payload);
    }

    public int headerLength() {
        return FIXED_HEADER_BYTES
                + 4 * csrcs.size()
                + extension.map(e -> 4 + e.data().length).orElse(0);
    }

    public int length() {
        return headerLength() + payload.length;
    }

    /** Writes the packet at {@code offset}; returns the bytes written. */
    public int writeTo(byte[] out, int offset) {
        int need = length();
        if (offset < 0 || out.length - offset < need) {
            throw new IllegalArgumentException("buffer too small: need " + need);
        }
        int p = RtpHeaders.writeHeader(
                out, offset, marker, payloadType, sequenceNumber, timestamp, ssrc, csrcs, extension.orElse(null));
        System.arraycopy(payload, 0, out, p, payload.length);
        return p + payload.length - offset;
    }

    public byte[] toBytes() {
        byte[] out = new byte[length()];
        writeTo(out, 0);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpPacket p
                && marker == p.marker
                && payloadType == p.payloadType
                && sequenceNumber == p.sequenceNumber
                && timestamp == p.timestamp
                && ssrc == p.ssrc
                && csrcs.equals(p.csrcs)
                && extension.equals(p.extension)
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(marker, payloadType, sequenceNumber, timestamp, ssrc, csrcs, extension) * 31
                + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RtpPacket[pt=" + payloadType + ", seq=" + sequenceNumber + ", ts=" + timestamp + ", ssrc=" + ssrc
                + (marker ? ", M" : "") + ", payload=" + payload.length + "B]";
    }

    /**
     * RFC 3550 5.3.1 header extension: a 16-bit profile ({@code 0xBEDE} for RFC 8285 one-byte
     * elements) and data that is a whole number of 32-bit words.
     */
    public record HeaderExtension(int profile, byte[] data) {
        public HeaderExtension {
            if (profile < 0 || profile > 0xFFFF) {
                throw new IllegalArgumentException("profile " + profile);
            }
            if (data.length % 4 != 0 || data.length / 4 > 0xFFFF) {
                throw new IllegalArgumentException("extension data must be whole 32-bit words");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HeaderExtension e && profile == e.profile && Arrays.equals(data, e.data);
        }

        @Override
        public int hashCode() {
            return profile * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "HeaderExtension[profile=0x" + Integer.toHexString(profile) + ", data="
                    + HexFormat.of().formatHex(data) + "]";
        }
    }
}
