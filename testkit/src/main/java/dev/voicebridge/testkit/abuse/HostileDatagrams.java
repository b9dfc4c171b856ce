package dev.voicebridge.testkit.abuse;

import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * Every class of hostile datagram a media worker's shared port meets, for one attacked call:
 * malformed STUN (the 24-byte binding request whose last attribute has length 0 among them), STUN
 * for the call with a wrong MESSAGE-INTEGRITY, junk that starts like RTP, RTCP or DTLS (some of it
 * well framed, so it gets past the port's framing checks to SRTP or the DTLS stack), SRTP forged
 * with the call's real SSRC, truncated headers, oversized datagrams and plain noise. Deterministic
 * for a seed; {@link DatagramFlood} sends them.
 */
public final class HostileDatagrams {
    /** A binding request whose last attribute (XOR-MAPPED-ADDRESS) has length 0: once an exception per packet. */
    public static final byte[] TWENTY_FOUR_BYTES =
            HexFormat.of().parseHex("000100042112a442" + "0102030405060708090a0b0c" + "00200000");

    public enum Kind {
        STUN_24_BYTES,
        STUN_BAD_INTEGRITY,
        STUN_JUNK,
        RTP_JUNK,
        SRTP_FORGED,
        RTCP_JUNK,
        DTLS_JUNK,
        DTLS_FRAMED,
        TRUNCATED,
        OVERSIZED,
        NOISE
    }

    private final Random random;
    private final String username;
    private final long victimSsrc;
    private final boolean harmless;

    /**
     * @param username {@code <worker ufrag>:<phone ufrag>}, so forged checks are routed to the call
     * @param victimSsrc the phone's SSRC, so forged SRTP meets the call's real crypto context
     */
    public HostileDatagrams(long seed, String username, long victimSsrc) {
        this(seed, username, victimSsrc, false);
    }

    private HostileDatagrams(long seed, String username, long victimSsrc, boolean harmless) {
        this.random = new Random(seed);
        this.username = username;
        this.victimSsrc = victimSsrc;
        this.harmless = harmless;
    }

    /**
     * The control for a flood: datagrams of 20 to 400 bytes whose first byte is in none of RFC
     * 7983's ranges (192 to 255), so a media port reads and drops each at its first byte — the
     * same rate of packets at the same port, nothing to parse, nothing to authenticate. All
     * counted as {@link Kind#NOISE}.
     */
    public static HostileDatagrams harmless(long seed) {
        return new HostileDatagrams(seed, "", 0, true);
    }

    /**
     * Aimed at the call of this SDP exchange: checks routed to it by its ufrags, SRTP forged with
     * the phone's SSRC.
     *
     * @param answer the worker's SDP answer
     * @param offer the phone's SDP offer
     */
    public static HostileDatagrams against(long seed, String answer, String offer) {
        String username = attribute(answer, "a=ice-ufrag:") + ":" + attribute(offer, "a=ice-ufrag:");
        long ssrc = Long.parseLong(attribute(offer, "a=ssrc:").split(" ")[0]);
        return new HostileDatagrams(seed, username, ssrc);
    }

    private static String attribute(String sdp, String prefix) {
        return sdp.lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + prefix + " in the SDP"))
                .substring(prefix.length())
                .trim();
    }

    /**
     * One round of the catalogue: every kind in turn, four times over, with three of the four
     * oversized turns given to noise (oversized datagrams fill socket buffers). Built once, so the
     * flood's hot path only indexes it.
     */
    private static final Kind[] ROUND = round();

    private static Kind[] round() {
        Kind[] kinds = Kind.values();
        Kind[] round = new Kind[kinds.length * 4];
        for (int turn = 0; turn < round.length; turn++) {
            Kind k = kinds[turn % kinds.length];
            round[turn] = k == Kind.OVERSIZED && turn >= kinds.length ? Kind.NOISE : k;
        }
        return round;
    }

    /** The kind of the i-th datagram ({@code i >= 0}): every kind in turn, oversized ones rarer. */
    public static Kind kindOf(int i) {
        return ROUND[i % ROUND.length];
    }

    /** The kind of the i-th datagram this catalogue sends. */
    public Kind kindAt(int i) {
        return harmless ? Kind.NOISE : kindOf(i);
    }

    public byte[] next(Kind kind) {
        if (harmless) {
            return withFirst(bytes(20 + random.nextInt(381)), 192 + random.nextInt(64));
        }
        return switch (kind) {
            case STUN_24_BYTES -> TWENTY_FOUR_BYTES.clone();
            case STUN_BAD_INTEGRITY ->
                StunMessage.builder(
                                StunMessage.BINDING_REQUEST,
                                TransactionId.random().bytes())
                        .username(username)
                        .priority(random.nextInt() & 0x7FFFFFFF)
                        .iceControlled(random.nextLong())
                        .encode(("wrong" + random.nextInt()).getBytes(StandardCharsets.UTF_8));
            case STUN_JUNK -> {
                byte[] b = bytes(20 + random.nextInt(200));
                b[0] &= 0x03;
                b[4] = 0x21;
                b[5] = 0x12;
                b[6] = (byte) 0xA4;
                b[7] = 0x42;
                int length = random.nextBoolean() ? b.length - 20 : random.nextInt(400);
                b[2] = (byte) (length >>> 8);
                b[3] = (byte) length;
                yield b;
            }
            case RTP_JUNK -> withFirst(bytes(12 + random.nextInt(300)), 0x80 + random.nextInt(64));
            case SRTP_FORGED -> {
                byte[] b = bytes(12 + 40 + 10);
                b[0] = (byte) 0x80;
                b[1] = (byte) 111;
                b[8] = (byte) (victimSsrc >>> 24);
                b[9] = (byte) (victimSsrc >>> 16);
                b[10] = (byte) (victimSsrc >>> 8);
                b[11] = (byte) victimSsrc;
                yield b;
            }
            case RTCP_JUNK -> {
                byte[] b = withFirst(bytes(8 + random.nextInt(200)), 0x80 + random.nextInt(32));
                b[1] = (byte) (200 + random.nextInt(7));
                yield b;
            }
            case DTLS_JUNK -> withFirst(bytes(1 + random.nextInt(300)), 20 + random.nextInt(44));
            case DTLS_FRAMED -> {
                int fragment = random.nextInt(200);
                byte[] b = bytes(13 + fragment);
                b[0] = (byte) (20 + random.nextInt(5));
                b[1] = (byte) 0xFE;
                b[2] = (byte) 0xFD;
                b[11] = (byte) (fragment >>> 8);
                b[12] = (byte) fragment;
                yield b;
            }
            case TRUNCATED -> {
                byte[] whole = next(
                        switch (random.nextInt(3)) {
                            case 0 -> Kind.STUN_BAD_INTEGRITY;
                            case 1 -> Kind.SRTP_FORGED;
                            default -> Kind.DTLS_FRAMED;
                        });
                yield Arrays.copyOf(whole, random.nextInt(Math.min(whole.length, 20)));
            }
            case OVERSIZED -> bytes(2049 + random.nextInt(6000));
            case NOISE -> bytes(random.nextInt(400));
        };
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] withFirst(byte[] b, int first) {
        b[0] = (byte) first;
        return b;
    }
}
