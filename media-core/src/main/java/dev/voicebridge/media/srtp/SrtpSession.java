package dev.voicebridge.media.srtp;

import dev.voicebridge.media.dtls.DtlsRole;
import dev.voicebridge.media.dtls.SrtpKeyingMaterial;
import dev.voicebridge.media.dtls.SrtpProfile;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP and SRTCP protection of one call (RFC 3711, RFC 7714 for AES-GCM), keyed from a DTLS-SRTP
 * handshake (RFC 5764): we encrypt with our half of the exported keys and decrypt with the
 * peer's. Built on jitsi-srtp's crypto contexts, one per SSRC and direction.
 *
 * <p>Every failure is a counted drop, never an exception: a hostile or broken datagram must not
 * disturb the call. New inbound SSRCs get a context only once a packet authenticates with it, and
 * at most {@link #MAX_SSRCS} per direction, so random garbage cannot grow memory; trying an SSRC
 * that never authenticated costs a key derivation, so at most {@link #NEW_SSRC_TRIALS} such
 * trials a second are made (the rest count as unknown SSRC), and forgeries cannot buy CPU.
 *
 * <p>Threads: protect runs on the pacing thread, unprotect on the receive path; the context maps
 * are concurrent and jitsi's contexts synchronise per context.
 */
public final class SrtpSession implements AutoCloseable {
    public static final int MAX_SSRCS = 8;

    /**
     * Key derivations per second for SSRCs that have not authenticated yet (both directions of
     * inbound SRTP and SRTCP together), and as many at once.
     */
    public static final int NEW_SSRC_TRIALS = 20;

    private static final long TRIAL_WINDOW_NANOS = 1_000_000_000L;
    private static final long NANOS_PER_TRIAL = TRIAL_WINDOW_NANOS / NEW_SSRC_TRIALS;
    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;

    private final LongSupplier nanoClock;
    private final SrtpProfile profile;
    private final SrtpContextFactory sendFactory;
    private final SrtpContextFactory receiveFactory;
    private final Map<Integer, SrtpCryptoContext> sendRtp = new ConcurrentHashMap<>();
    private final Map<Integer, SrtpCryptoContext> receiveRtp = new ConcurrentHashMap<>();
    private final Map<Integer, SrtcpCryptoContext> sendRtcp = new ConcurrentHashMap<>();
    private final Map<Integer, SrtcpCryptoContext> receiveRtcp = new ConcurrentHashMap<>();

    private final LongAdder rtpProtected = new LongAdder();
    private final LongAdder rtpUnprotected = new LongAdder();
    private final LongAdder rtcpProtected = new LongAdder();
    private final LongAdder rtcpUnprotected = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder unknownSsrc = new LongAdder();

    /** Token bucket of {@link #NEW_SSRC_TRIALS} as a virtual time: empty at this instant. Guarded by this. */
    private long trialsEmptyAtNanos;

    /**
     * The context of the SSRC we last protected RTP for: a call sends one stream, so its packets
     * skip the map (boxing the SSRC and a hash lookup on memory the pacer last touched 20 ms ago,
     * among every other call's).
     */
    private volatile SendContext lastSend;

    private record SendContext(int ssrc, SrtpCryptoContext context) {}

    public SrtpSession(SrtpKeyingMaterial keys, DtlsRole role) {
        this(keys, role, System::nanoTime);
    }

    SrtpSession(SrtpKeyingMaterial keys, DtlsRole role, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.trialsEmptyAtNanos = nanoClock.getAsLong() - TRIAL_WINDOW_NANOS; // starts full
        this.profile = keys.profile();
        // jitsi-srtp logs through java.util.logging; keep per-packet failures out of the logs.
        Logger logger = new LoggerImpl(SrtpSession.class.getName(), Level.WARNING);
        this.sendFactory = new SrtpContextFactory(
                true, keys.localKey(role), keys.localSalt(role), policy(profile), policy(profile), logger);
        this.receiveFactory = new SrtpContextFactory(
                false, keys.remoteKey(role), keys.remoteSalt(role), policy(profile), policy(profile), logger);
    }

    /**
     * Runs one protect/unprotect round per profile with throwaway keys. jitsi-srtp picks its AES
     * implementation by benchmarking every provider on the first cipher a JVM creates per
     * transformation (org.jitsi.srtp.crypto.Aes), under a class lock: measured here at over a
     * second on a loaded machine. Left to the first call, that lands on the shared pacing thread
     * (the first RTP protect) and stalls every call's media. Call once at startup, off the media
     * path; later calls are cheap.
     */
    public static void warmUp() {
        var random = new SecureRandom();
        for (SrtpProfile profile : SrtpProfile.values()) {
            byte[][] parts = new byte[4][];
            for (int i = 0; i < 4; i++) {
                parts[i] = new byte[i % 2 == 0 ? profile.keyLength() : profile.saltLength()];
                random.nextBytes(parts[i]);
            }
            var keys = new SrtpKeyingMaterial(profile, parts[0], parts[1], parts[2], parts[3]);
            try (var sender = new SrtpSession(keys, DtlsRole.CLIENT);
                    var receiver = new SrtpSession(keys, DtlsRole.SERVER)) {
                var packet = new PacketBuffer(1500);
                byte[] rtp = new byte[RTP_HEADER + 40];
                rtp[0] = (byte) 0x80;
                rtp[1] = 111;
                byte[] rtcp = {(byte) 0x80, (byte) 200, 0, 1, 0, 0, 0, 1};
                if (!sender.protectRtp(packet.set(rtp, 0, rtp.length))
                        || !receiver.unprotectRtp(packet)
                        || !sender.protectRtcp(packet.set(rtcp, 0, rtcp.length))
                        || !receiver.unprotectRtcp(packet)) {
                    throw new IllegalStateException("SRTP self-test failed for " + profile);
                }
            }
        }
    }

    static SrtpPolicy policy(SrtpProfile profile) {
        return switch (profile) {
            case AES128_CM_HMAC_SHA1_80 ->
                new SrtpPolicy(
                        SrtpPolicy.AESCM_ENCRYPTION,
                        profile.keyLength(),
                        SrtpPolicy.HMACSHA1_AUTHENTICATION,
                        20,
                        10,
                        profile.saltLength());
            case AEAD_AES_128_GCM ->
                new SrtpPolicy(
                        SrtpPolicy.AESGCM_ENCRYPTION,
                        profile.keyLength(),
                        SrtpPolicy.NULL_AUTHENTICATION,
                        0,
                        16,
                        profile.saltLength());
        };
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Encrypts and authenticates an RTP packet in place. False (and counted) when impossible. */
    public boolean protectRtp(PacketBuffer packet) {
        if (!isRtp(packet, RTP_HEADER)) {
            invalid.increment();
            return false;
        }
        int ssrc = readInt(packet, 8);
        try {
            SendContext last = lastSend;
            SrtpCryptoContext context;
            if (last != null && last.ssrc() == ssrc) {
                context = last.context();
            } else {
                context = sendRtp.get(ssrc);
                if (context == null) {
                    if (sendRtp.size() >= MAX_SSRCS) {
                        unknownSsrc.increment();
                        return false;
                    }
                    context = sendRtp.computeIfAbsent(ssrc, this::deriveSend);
                }
                lastSend = new SendContext(ssrc, context);
            }
            if (context.transformPacket(packet) == SrtpErrorStatus.OK) {
                rtpProtected.increment();
                return true;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // fall through: counted as invalid
        }
        invalid.increment();
        return false;
    }

    /** Authenticates and decrypts an SRTP packet in place; false when dropped (counted by reason). */
    public boolean unprotectRtp(PacketBuffer packet) {
        if (!isRtp(packet, RTP_HEADER + tagLength())) {
            invalid.increment();
            return false;
        }
        int ssrc = readInt(packet, 8);
        try {
            SrtpCryptoContext context = receiveRtp.get(ssrc);
            boolean fresh = context == null;
            if (fresh) {
                if (receiveRtp.size() >= MAX_SSRCS || !tryNewSsrc()) {
                    unknownSsrc.increment();
                    return false;
                }
                context = receiveFactory.deriveContext(ssrc, 0);
            }
            SrtpErrorStatus status = context.reverseTransformPacket(packet, false);
            if (status == SrtpErrorStatus.OK) {
                if (fresh) {
                    receiveRtp.putIfAbsent(ssrc, context);
                }
                rtpUnprotected.increment();
                return true;
            }
            count(status);
        } catch (GeneralSecurityException | RuntimeException e) {
            invalid.increment();
        }
        return false;
    }

    /** Protects a compound RTCP packet in place (appends the SRTCP index and tag). */
    public boolean protectRtcp(PacketBuffer packet) {
        if (!isRtp(packet, RTCP_HEADER)) {
            invalid.increment();
            return false;
        }
        int ssrc = readInt(packet, 4);
        try {
            SrtcpCryptoContext context = sendRtcp.get(ssrc);
            if (context == null) {
                if (sendRtcp.size() >= MAX_SSRCS) {
                    unknownSsrc.increment();
                    return false;
                }
                context = sendRtcp.computeIfAbsent(ssrc, this::deriveSendControl);
            }
            if (context.transformPacket(packet) == SrtpErrorStatus.OK) {
                rtcpProtected.increment();
                return true;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // fall through
        }
        invalid.increment();
        return false;
    }

    /** Authenticates and decrypts an SRTCP packet in place; false when dropped. */
    public boolean unprotectRtcp(PacketBuffer packet) {
        if (!isRtp(packet, RTCP_HEADER + 4 + tagLength())) {
            invalid.increment();
            return false;
        }
        int ssrc = readInt(packet, 4);
        try {
            SrtcpCryptoContext context = receiveRtcp.get(ssrc);
            boolean fresh = context == null;
            if (fresh) {
                if (receiveRtcp.size() >= MAX_SSRCS || !tryNewSsrc()) {
                    unknownSsrc.increment();
                    return false;
                }
                context = receiveFactory.deriveControlContext(ssrc);
            }
            SrtpErrorStatus status = context.reverseTransformPacket(packet);
            if (status == SrtpErrorStatus.OK) {
                if (fresh) {
                    receiveRtcp.putIfAbsent(ssrc, context);
                }
                rtcpUnprotected.increment();
                return true;
            }
            count(status);
        } catch (GeneralSecurityException | RuntimeException e) {
            invalid.increment();
        }
        return false;
    }

    public SrtpStats stats() {
        return new SrtpStats(
                rtpProtected.sum(),
                rtpUnprotected.sum(),
                rtcpProtected.sum(),
                rtcpUnprotected.sum(),
                authFailures.sum(),
                replays.sum(),
                invalid.sum(),
                unknownSsrc.sum());
    }

    @Override
    public void close() {
        sendFactory.close();
        receiveFactory.close();
        lastSend = null;
        sendRtp.clear();
        receiveRtp.clear();
        sendRtcp.clear();
        receiveRtcp.clear();
    }

    /**
     * Whether an SSRC that never authenticated may cost a key derivation now. A forged packet with
     * a new SSRC costs one (6–17 µs measured, against ~1 µs for a real packet) and fails, leaving
     * nothing cached, so without a bound a spoofed peer address buys CPU per datagram. Real peers
     * start a new source rarely; its first packet waits at most a fraction of a second for a trial
     * while such a flood lasts.
     */
    private synchronized boolean tryNewSsrc() {
        long now = nanoClock.getAsLong();
        long emptyAt = Math.max(trialsEmptyAtNanos, now - TRIAL_WINDOW_NANOS);
        if (emptyAt + NANOS_PER_TRIAL > now) {
            return false;
        }
        trialsEmptyAtNanos = emptyAt + NANOS_PER_TRIAL;
        return true;
    }

    private int tagLength() {
        return profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10;
    }

    private void count(SrtpErrorStatus status) {
        switch (status) {
            case AUTH_FAIL -> authFailures.increment();
            case REPLAY_FAIL, REPLAY_OLD -> replays.increment();
            default -> invalid.increment();
        }
    }

    private SrtpCryptoContext deriveSend(int ssrc) {
        try {
            return sendFactory.deriveContext(ssrc, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot derive an SRTP context", e);
        }
    }

    private SrtcpCryptoContext deriveSendControl(int ssrc) {
        try {
            return sendFactory.deriveControlContext(ssrc);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot derive an SRTCP context", e);
        }
    }

    /** RTP and RTCP both carry version 2 in the top bits of the first byte. */
    private static boolean isRtp(PacketBuffer p, int minLength) {
        return p.getLength() >= minLength && (p.getBuffer()[p.getOffset()] & 0xC0) == 0x80;
    }

    private static int readInt(PacketBuffer p, int at) {
        byte[] b = p.getBuffer();
        int i = p.getOffset() + at;
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }
}
