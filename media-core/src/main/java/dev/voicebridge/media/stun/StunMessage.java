package dev.voicebridge.media.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared port's STUN pre-filter (RFC 5389): framing, the attributes that route a message
 * (USERNAME; the transaction id) and authenticate it (MESSAGE-INTEGRITY, FINGERPRINT), and what an
 * ICE-lite peer needs (USE-CANDIDATE; the XOR-MAPPED-ADDRESS of its answer). ICE itself — priorities, roles, nomination,
 * error responses — is ice4j's, which decodes what passes this filter once more, for itself; the
 * attributes ice4j throws on when malformed (PRIORITY, ICE-CONTROLLING/-CONTROLLED, ERROR-CODE)
 * are checked here, so such a datagram is refused as data instead. Decoding never throws for
 * hostile input: it returns {@code null}.
 *
 * <p>The raw bytes are kept so MESSAGE-INTEGRITY can be verified after the username told the
 * receiver which password to use. The builder makes the messages of test peers and the
 * ICE-lite answer ({@link IceLite}).
 */
public final class StunMessage {
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;

    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    static final int ATTR_USERNAME = 0x0006;
    static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    static final int ATTR_ERROR_CODE = 0x0009;
    static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    static final int ATTR_PRIORITY = 0x0024;
    static final int ATTR_USE_CANDIDATE = 0x0025;
    static final int ATTR_FINGERPRINT = 0x8028;
    static final int ATTR_ICE_CONTROLLED = 0x8029;
    static final int ATTR_ICE_CONTROLLING = 0x802A;

    static final int MAX_USERNAME_BYTES = 512;

    /** RFC 5389 §15.5: CRC-32 of the message XOR this constant. */
    static final int FINGERPRINT_XOR = 0x5354554e;

    private final int type;
    private final byte[] transactionId;
    private final String username;
    private final boolean useCandidate;
    private final InetSocketAddress xorMappedAddress;
    private final byte[] raw;
    /** Offset of the MESSAGE-INTEGRITY attribute header in {@link #raw}, or -1. */
    private final int integrityOffset;

    private StunMessage(Builder b, byte[] raw, int integrityOffset) {
        this.type = b.type;
        this.transactionId = b.transactionId;
        this.username = b.username;
        this.useCandidate = b.useCandidate;
        this.xorMappedAddress = b.xorMappedAddress;
        this.raw = raw;
        this.integrityOffset = integrityOffset;
    }

    public static Builder builder(int type, byte[] transactionId) {
        return new Builder(type, transactionId);
    }

    /**
     * RFC 7983: STUN messages start with a byte in 0..3 and carry the magic cookie. False (never an
     * exception) for any bytes, also when {@code off}/{@code len} do not fit {@code buf}.
     */
    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        return fits(buf, off, len)
                && len >= HEADER_LENGTH
                && (buf[off] & 0xC0) == 0
                && readInt(buf, off + 4) == MAGIC_COOKIE;
    }

    private static boolean fits(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 0 && off <= buf.length - len;
    }

    /**
     * Decodes a STUN message, or returns null when the bytes are not a well-formed one. Every
     * read is bounded by {@code off + len} (the datagram), never by the array: a datagram is data.
     */
    public static StunMessage decode(byte[] buf, int off, int len) {
        if (!looksLikeStun(buf, off, len)) {
            return null;
        }
        int bodyLength = readShort(buf, off + 2);
        // RFC 5389 §6: a whole message per datagram, its length a multiple of 4. Bytes beyond the
        // declared length would be outside MESSAGE-INTEGRITY and FINGERPRINT: refused.
        if ((bodyLength & 3) != 0 || HEADER_LENGTH + bodyLength != len) {
            return null;
        }
        var b = new Builder(readShort(buf, off), Arrays.copyOfRange(buf, off + 8, off + 20));
        int end = off + HEADER_LENGTH + bodyLength;
        int pos = off + HEADER_LENGTH;
        int integrityOffset = -1;
        while (pos + 4 <= end) {
            int attrType = readShort(buf, pos);
            int attrLen = readShort(buf, pos + 2);
            int value = pos + 4;
            if (value + attrLen > end) {
                return null;
            }
            // RFC 5389 §15.4: attributes after MESSAGE-INTEGRITY (except FINGERPRINT) are ignored.
            if (integrityOffset < 0 || attrType == ATTR_FINGERPRINT) {
                switch (attrType) {
                    case ATTR_USERNAME -> {
                        // RFC 5389 §15.3: fewer than 513 bytes.
                        if (attrLen > MAX_USERNAME_BYTES) return null;
                        b.username = new String(buf, value, attrLen, StandardCharsets.UTF_8);
                    }
                    // Checked, not kept: ice4j reads them (RFC 8445 §7.1.1; RFC 5389 §15.6 for
                    // ERROR-CODE: class 3..6, number 0..99).
                    case ATTR_PRIORITY -> {
                        if (attrLen != 4) return null;
                    }
                    case ATTR_USE_CANDIDATE -> b.useCandidate = true;
                    case ATTR_ICE_CONTROLLING, ATTR_ICE_CONTROLLED -> {
                        if (attrLen != 8) return null;
                    }
                    case ATTR_ERROR_CODE -> {
                        if (attrLen < 4) return null;
                        int errorClass = buf[value + 2] & 0x7;
                        int number = buf[value + 3] & 0xFF;
                        if (errorClass < 3 || errorClass > 6 || number > 99) return null;
                    }
                    case ATTR_XOR_MAPPED_ADDRESS -> {
                        b.xorMappedAddress = decodeXorAddress(buf, value, attrLen, b.transactionId);
                        if (b.xorMappedAddress == null) return null;
                    }
                    case ATTR_MESSAGE_INTEGRITY -> {
                        if (attrLen != 20) return null;
                        integrityOffset = pos - off;
                    }
                    case ATTR_FINGERPRINT -> {
                        if (attrLen != 4) return null;
                        int expected = crc32(buf, off, pos - off) ^ FINGERPRINT_XOR;
                        if (readInt(buf, value) != expected) return null;
                    }
                    default -> {
                        // Unknown attribute: comprehension-required ones (< 0x8000) would warrant a
                        // 420 reply; ICE peers never send them, so they are simply ignored.
                    }
                }
            }
            pos = value + ((attrLen + 3) & ~3);
        }
        return new StunMessage(b, Arrays.copyOfRange(buf, off, end), integrityOffset);
    }

    /**
     * Verifies MESSAGE-INTEGRITY with an ICE password (short-term credential, RFC 5389 §15.4:
     * the HMAC covers the message up to the attribute, with the length field counting it).
     */
    public boolean verifyIntegrity(byte[] key) {
        if (integrityOffset < 0) {
            return false;
        }
        byte[] copy = Arrays.copyOf(raw, integrityOffset);
        writeShort(copy, 2, integrityOffset + 24 - HEADER_LENGTH);
        byte[] expected = hmacSha1(key, copy, 0, copy.length);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, integrityOffset + 4, integrityOffset + 24));
    }

    public int type() {
        return type;
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    /** The transaction id as a map key. */
    public TransactionId transactionKey() {
        return new TransactionId(transactionId);
    }

    public String username() {
        return username;
    }

    /** USE-CANDIDATE: the controlling peer nominates this pair (an ICE-lite peer notes it). */
    public boolean useCandidate() {
        return useCandidate;
    }

    public InetSocketAddress xorMappedAddress() {
        return xorMappedAddress;
    }

    public boolean hasIntegrity() {
        return integrityOffset >= 0;
    }

    /**
     * Builds and encodes STUN messages: what a test peer sends (a binding request looks like a
     * real check with PRIORITY and an ICE role) and the ICE-lite answer; also holds what {@link
     * #decode} keeps.
     */
    public static final class Builder {
        private final int type;
        private final byte[] transactionId;
        private String username;
        private long priority = -1;
        private boolean useCandidate;
        private Long iceControlling;
        private Long iceControlled;
        private InetSocketAddress xorMappedAddress;

        private Builder(int type, byte[] transactionId) {
            if (transactionId.length != 12) {
                throw new IllegalArgumentException("STUN transaction id must be 12 bytes");
            }
            this.type = type;
            this.transactionId = transactionId.clone();
        }

        public Builder username(String value) {
            this.username = value;
            return this;
        }

        public Builder priority(long value) {
            this.priority = value;
            return this;
        }

        public Builder useCandidate(boolean value) {
            this.useCandidate = value;
            return this;
        }

        public Builder iceControlling(long tieBreaker) {
            this.iceControlling = tieBreaker;
            return this;
        }

        public Builder iceControlled(long tieBreaker) {
            this.iceControlled = tieBreaker;
            return this;
        }

        public Builder xorMappedAddress(InetSocketAddress value) {
            this.xorMappedAddress = value;
            return this;
        }

        /**
         * Encodes the message; adds MESSAGE-INTEGRITY when {@code integrityKey} is not null, and
         * always FINGERPRINT (RFC 8445 §7.1.1 requires it on connectivity checks).
         */
        public byte[] encode(byte[] integrityKey) {
            var out = new byte[512];
            int pos = HEADER_LENGTH;
            writeShort(out, 0, type);
            writeInt(out, 4, MAGIC_COOKIE);
            System.arraycopy(transactionId, 0, out, 8, 12);
            if (username != null) {
                pos = attr(out, pos, ATTR_USERNAME, username.getBytes(StandardCharsets.UTF_8));
            }
            if (xorMappedAddress != null) {
                pos = attr(out, pos, ATTR_XOR_MAPPED_ADDRESS, encodeXorAddress(xorMappedAddress, transactionId));
            }
            if (priority >= 0) {
                byte[] v = new byte[4];
                writeInt(v, 0, (int) priority);
                pos = attr(out, pos, ATTR_PRIORITY, v);
            }
            if (useCandidate) {
                pos = attr(out, pos, ATTR_USE_CANDIDATE, new byte[0]);
            }
            if (iceControlling != null) {
                pos = attr(out, pos, ATTR_ICE_CONTROLLING, longBytes(iceControlling));
            }
            if (iceControlled != null) {
                pos = attr(out, pos, ATTR_ICE_CONTROLLED, longBytes(iceControlled));
            }
            if (integrityKey != null) {
                writeShort(out, 2, pos + 24 - HEADER_LENGTH);
                byte[] mac = hmacSha1(integrityKey, out, 0, pos);
                pos = attr(out, pos, ATTR_MESSAGE_INTEGRITY, mac);
            }
            writeShort(out, 2, pos + 8 - HEADER_LENGTH);
            byte[] fp = new byte[4];
            writeInt(fp, 0, crc32(out, 0, pos) ^ FINGERPRINT_XOR);
            pos = attr(out, pos, ATTR_FINGERPRINT, fp);
            return Arrays.copyOf(out, pos);
        }
    }

    private static int attr(byte[] out, int pos, int type, byte[] value) {
        writeShort(out, pos, type);
        writeShort(out, pos + 2, value.length);
        System.arraycopy(value, 0, out, pos + 4, value.length);
        return pos + 4 + ((value.length + 3) & ~3);
    }

    private static byte[] encodeXorAddress(InetSocketAddress address, byte[] transactionId) {
        byte[] ip = address.getAddress().getAddress();
        byte[] v = new byte[4 + ip.length];
        v[1] = (byte) (ip.length == 4 ? 1 : 2);
        writeShort(v, 2, address.getPort() ^ (MAGIC_COOKIE >>> 16));
        byte[] mask = xorMask(transactionId);
        for (int i = 0; i < ip.length; i++) {
            v[4 + i] = (byte) (ip[i] ^ mask[i]);
        }
        return v;
    }

    private static InetSocketAddress decodeXorAddress(byte[] buf, int value, int len, byte[] transactionId) {
        if (len != 8 && len != 20) {
            return null; // RFC 5389 §15.2: 4 bytes of family and port, then 4 or 16 of address
        }
        int family = buf[value + 1];
        int ipLength = family == 1 ? 4 : family == 2 ? 16 : -1;
        if (ipLength < 0 || len != 4 + ipLength) {
            return null;
        }
        int port = readShort(buf, value + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] mask = xorMask(transactionId);
        byte[] ip = new byte[ipLength];
        for (int i = 0; i < ipLength; i++) {
            ip[i] = (byte) (buf[value + 4 + i] ^ mask[i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] xorMask(byte[] transactionId) {
        byte[] mask = new byte[16];
        writeInt(mask, 0, MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, mask, 4, 12);
        return mask;
    }

    static byte[] hmacSha1(byte[] key, byte[] data, int off, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, off, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is a mandatory JDK algorithm", e);
        }
    }

    private static int crc32(byte[] buf, int off, int len) {
        var crc = new CRC32();
        crc.update(buf, off, len);
        return (int) crc.getValue();
    }

    private static byte[] longBytes(long v) {
        byte[] out = new byte[8];
        writeInt(out, 0, (int) (v >>> 32));
        writeInt(out, 4, (int) v);
        return out;
    }

    private static int readShort(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    private static void writeShort(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void writeInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
