package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.media.dtls.DtlsConnection;
import dev.voicebridge.media.dtls.DtlsHandshakeException;
import dev.voicebridge.media.dtls.DtlsIdentity;
import dev.voicebridge.media.dtls.QueueDatagramTransport;
import dev.voicebridge.media.rtp.DtmfEncoder;
import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.media.sdp.AnswerSpec;
import dev.voicebridge.media.sdp.IceCandidate;
import dev.voicebridge.media.sdp.IceCredentials;
import dev.voicebridge.media.sdp.SdpAnswer;
import dev.voicebridge.media.sdp.SdpOfferBuilder;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.media.sdp.SdpRejectedException;
import dev.voicebridge.media.sdp.WhatsAppOffer;
import dev.voicebridge.media.srtp.PacketBuffer;
import dev.voicebridge.media.srtp.SrtpSession;
import dev.voicebridge.media.stun.IceLite;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.net.Datagrams;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WhatsApp-like phone: ICE-lite and controlled, SRTP, Opus 20 ms on PT 111, telephone-event on
 * PT 126. As a caller it makes the WhatsApp-shaped offer, takes our answer and serves the DTLS
 * handshake; as a callee (a business-initiated call) it answers our offer like WhatsApp, taking
 * the DTLS role its answer names (server for {@code passive}, client for {@code active}), and
 * sends no media until it is picked up. Either way it answers our connectivity checks, then plays
 * its {@link PcmSource} and records what it hears ({@link PhoneSpeaker}), time-aligned to its own
 * 20 ms ticks (one frame per tick, silence when nothing arrived), so the recording and what it
 * played share a timeline. An {@link AudioListener} ({@link #onHeard}) hears each packet
 * decoded as it arrives, for a fake service that must react to its caller live.
 *
 * <p>It can also call a WebRTC service the way a browser or the worker does ({@link
 * #fullIceOffer}, {@link #acceptIceLiteAnswer}): a full ICE agent in the controlling role that
 * sends the connectivity checks and nominates the answerer's candidate, then takes the DTLS role
 * the answer leaves it; so two phones can call each other, one offering that way and the other
 * answering as WhatsApp would ({@link #answerOffer}).
 *
 * <p>A phone has a UDP socket of its own, or shares one with other phones of its host as the
 * sessions of one media server do ({@link SharedPhonePort}: it then gets what the port routes to
 * it, and closing it leaves the socket open).
 *
 * <p>Threads (all shared through {@link PhoneHost}): datagrams on the host's selector thread,
 * sending and recording on the host's pacing thread, the DTLS handshake on a virtual thread.
 */
public final class SyntheticPhone implements AutoCloseable {
    static final int OPUS_PT = 111;
    static final int DTMF_PT = 126;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A host candidate's priority (RFC 8445 §5.1.2.1, type preference 126), ours and in our checks. */
    private static final long HOST_PRIORITY = 2122260223L;
    /** Checks go out every this many ticks (100 ms) until one is answered. */
    private static final int CHECK_EVERY_TICKS = 5;
    /** After this many silent frames an Opus packet carries no FEC of speech: silence has settled. */
    private static final int SETTLED_SILENCE_FRAMES = 3;

    /**
     * Hears what the phone receives: each audio packet decoded (24 kHz mono PCM16, 480 samples per
     * 20 ms packet) the moment it arrives, before any jitter buffer. Called on the host's receive
     * thread for every phone of the host: it must be quick. The array is the listener's to keep.
     */
    @FunctionalInterface
    public interface AudioListener {
        void heard(short[] pcm, long nanoTime);
    }

    private final PhoneHost host;
    private final DatagramChannel channel;
    /** The port this phone shares {@link #channel} on, or null: the socket is the phone's own. */
    private final SharedPhonePort sharedPort;

    private final PhoneOptions options;
    private final InetSocketAddress advertised;
    private final String ufrag;
    private final String pwd;
    private final byte[] pwdKey;
    private final long ssrc = RANDOM.nextInt() & 0xFFFFFFFFL;
    private final CountDownLatch connectedLatch = new CountDownLatch(1);

    // selector thread
    private final PacketBuffer rxBuffer = new PacketBuffer(1500);
    private QueueDatagramTransport dtlsTransport;
    private long lastRtpNanos;

    // pacing thread
    /** Null for a load phone, which replays {@link LoadProfile#audio()}. */
    private final OpusEncoder encoder;

    private final PacketBuffer txBuffer = new PacketBuffer(1500);
    private final short[] frame = new short[PcmSource.FRAME_SAMPLES];
    private final byte[] encoded = new byte[OpusEncoder.MAX_PACKET_BYTES];
    private final Deque<DtmfEncoder.EventPacket> dtmfTrain = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Character> dtmfQueue = new ConcurrentLinkedQueue<>();
    private int sequence = RANDOM.nextInt(0x10000);
    private long timestamp = RANDOM.nextInt() & 0xFFFFFFFFL;
    private long dtmfTimestamp;
    private int dtmfTick;
    private boolean firstPacket = true;
    /** Digital-silence frames in a row; the packet sent for settled silence (cheap-silence phones). */
    private int silentFrames;

    private byte[] silencePacket;
    private volatile boolean cheapSilence;

    private final PhoneSpeaker speaker;
    private final PhoneReception reception = new PhoneReception();
    private final LoadPlayer loadPlayer;
    private final PhoneArrivals arrivals;
    private volatile PhoneEar ear;

    // as a full ICE offerer: the answerer's candidate and credentials, the checks in flight
    private final long tieBreaker = RANDOM.nextLong() & Long.MAX_VALUE;
    private final Set<TransactionId> checksInFlight = ConcurrentHashMap.newKeySet();
    private volatile String remoteUfrag;
    private volatile byte[] remotePwdKey;
    private volatile InetSocketAddress checkTarget;
    /** Pacing thread. */
    private int checkTicks;

    private volatile PcmSource source;
    private volatile PhoneAnswer answer;
    /** As a callee that answered {@code active}: the phone starts the DTLS handshake. */
    private volatile boolean dtlsClient;
    /** A callee sends nothing (and a caller has nothing to pick up) until picked up. */
    private volatile boolean pickedUp = true;

    private final AtomicLong mediaBeforePickUp = new AtomicLong();
    private volatile InetSocketAddress peer;
    private volatile SrtpSession srtp;
    private volatile DtlsConnection dtls;
    private volatile boolean closed;
    /** {@link #vanish()}ed on a shared port: no DTLS close_notify goes out (the socket stays open). */
    private volatile boolean muted;

    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong badStun = new AtomicLong();
    private final AtomicLong rtpSent = new AtomicLong();
    private final AtomicLong rtpReceived = new AtomicLong();
    private final AtomicLong mediaDatagramsReceived = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong dtlsDroppedEarly = new AtomicLong();
    private volatile long firstRtpNanos;
    private volatile long maxGapNanos;
    private volatile Throwable lastError;

    SyntheticPhone(PhoneHost host, DatagramChannel channel, PhoneOptions options) throws IOException {
        this(host, channel, null, options);
    }

    SyntheticPhone(PhoneHost host, SharedPhonePort port, PhoneOptions options) throws IOException {
        this(host, port.channel(), port, options);
    }

    private SyntheticPhone(PhoneHost host, DatagramChannel channel, SharedPhonePort sharedPort, PhoneOptions options)
            throws IOException {
        this.host = host;
        this.channel = channel;
        this.sharedPort = sharedPort;
        this.options = options;
        this.source = options.source();
        this.advertised =
                options.advertised() != null ? options.advertised() : (InetSocketAddress) channel.getLocalAddress();
        // WhatsApp-like credentials: '/' in the ufrag, base64 with '=' in the pwd.
        this.ufrag = token(9).replace('+', '/').substring(0, 15) + "/";
        this.pwd = Base64.getEncoder().encodeToString(randomBytes(16));
        this.pwdKey = pwd.getBytes(StandardCharsets.UTF_8);
        this.encoder = options.load() == null ? OpusCodecs.encoder(EncodedAudio.WHATSAPP_SEND) : null;
        this.speaker = options.load() == null ? new PhoneSpeaker(options.recordSeconds()) : PhoneSpeaker.counting();
        this.loadPlayer = options.load() == null ? null : new LoadPlayer(options.load(), reception);
        this.arrivals = new PhoneArrivals(options.recordSeconds() * 50);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String token(int bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(randomBytes(bytes * 2));
    }

    DatagramChannel channel() {
        return channel;
    }

    /** The local ICE ufrag: a shared port routes checks whose USERNAME starts with it here. */
    String ufrag() {
        return ufrag;
    }

    boolean isClosed() {
        return closed;
    }

    /** The WhatsApp-shaped offer (CRLF), with this phone's address, credentials and fingerprint. */
    public String offer() {
        String fingerprint = options.lieAboutFingerprint()
                ? DtlsIdentity.generate("liar", Duration.ofDays(1))
                        .fingerprint()
                        .toSdpValue()
                : host.dtls().identity().fingerprint().toSdpValue();
        return WhatsAppOffer.build(advertised, ufrag, pwd, fingerprint, ssrc, OPUS_PT, DTMF_PT);
    }

    /**
     * Answers the worker's offer of a business-initiated call, as WhatsApp does in its connect
     * webhook: checks the offer as WhatsApp would (throws on what it refuses) and returns the
     * phone's ICE-lite answer. {@code activeDtls}: the answer says {@code a=setup:active} and the
     * phone connects as the DTLS client; else {@code passive} and it serves. The phone rings: it
     * sends no media until {@link #pickUp()}.
     */
    public String answerOffer(String offerSdp, boolean activeDtls) {
        var offer = PhoneAnswer.checkOffer(offerSdp);
        pickedUp = false;
        dtlsClient = activeDtls;
        this.answer = PhoneAnswer.of(offer);
        return WhatsAppAnswer.build(
                offer,
                advertised,
                ufrag,
                pwd,
                host.dtls().identity().fingerprint().toSdpValue(),
                ssrc,
                activeDtls);
    }

    /**
     * An offer as a full ICE agent that will control (the way a browser or the worker offers to a
     * WebRTC service): the worker's offer shape ({@link SdpOfferBuilder}: no {@code ice-lite},
     * {@code actpass}, one sha-256 fingerprint, Opus on 111, telephone-event on 126, CRLF) with
     * this phone's address, credentials, fingerprint and SSRC. Take the answer with {@link
     * #acceptIceLiteAnswer}.
     */
    public String fullIceOffer() {
        var candidate = IceCandidate.udpHost(
                "1", HOST_PRIORITY, advertised.getAddress().getHostAddress(), advertised.getPort());
        var spec = new AnswerSpec(
                        new IceCredentials(ufrag, pwd),
                        host.dtls().identity().fingerprint(),
                        List.of(candidate),
                        1 + (RANDOM.nextLong() & (Long.MAX_VALUE >> 1)))
                .withSsrc(ssrc, "synthetic-phone");
        return new SdpOfferBuilder().build(spec);
    }

    /**
     * Takes the answer to a {@link #fullIceOffer} (an ICE-lite answerer's, like WhatsApp's or a
     * phone's {@link #answerOffer}): from now on the phone sends connectivity checks with
     * USE-CANDIDATE to the answer's first UDP candidate every 100 ms until one is answered, then
     * takes the DTLS role the answer leaves it (serves for {@code a=setup:active}, connects for
     * {@code passive}). Throws {@link IllegalArgumentException} for an answer it cannot use.
     */
    public void acceptIceLiteAnswer(String sdp) {
        SdpAnswer a;
        try {
            a = new SdpParser().parseAnswer(sdp);
        } catch (SdpRejectedException e) {
            throw new IllegalArgumentException("unusable answer: " + e.getMessage(), e);
        }
        var audio = a.audio();
        if (audio.fingerprints().size() != 1) {
            throw new IllegalArgumentException("answer must carry exactly one fingerprint");
        }
        var candidate = audio.candidates().stream()
                .filter(IceCandidate::isUdp)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("answer has no UDP candidate"));
        remoteUfrag = audio.ice().ufrag();
        remotePwdKey = audio.ice().pwd().getBytes(StandardCharsets.UTF_8);
        dtlsClient = a.weAreDtlsClient();
        answer = new PhoneAnswer(audio.ice().ufrag(), audio.ice().pwd(), audio.preferredFingerprint());
        checkTarget = new InetSocketAddress(candidate.address(), candidate.port());
        sendCheck();
    }

    /** A connectivity check to the answerer, controlling and nominating (aggressive nomination). */
    private void sendCheck() {
        InetSocketAddress to = checkTarget;
        byte[] key = remotePwdKey;
        if (to == null || key == null || closed) {
            return;
        }
        var id = TransactionId.random();
        if (checksInFlight.size() > 64) {
            checksInFlight.clear(); // an answerer that never answers: no unbounded growth
        }
        checksInFlight.add(id);
        byte[] check = StunMessage.builder(StunMessage.BINDING_REQUEST, id.bytes())
                .username(remoteUfrag + ":" + ufrag)
                .priority(HOST_PRIORITY)
                .iceControlling(tieBreaker)
                .useCandidate(true)
                .encode(key);
        send(check, 0, check.length, to);
    }

    /** Hears every received audio packet decoded, live ({@link AudioListener}); null stops it. */
    public void onHeard(AudioListener listener) {
        PhoneEar next = listener == null ? null : new PhoneEar(listener);
        PhoneEar old = ear;
        ear = next;
        if (old != null) {
            old.close();
        }
        if (closed && next != null) {
            next.close(); // close() ran meanwhile: free the decoder it may have missed
        }
    }

    /** The ringing phone is picked up: from the next tick it plays its source. */
    public void pickUp() {
        pickedUp = true;
    }

    /**
     * SRTP or SRTCP datagrams that reached a callee while it was still ringing: "no media before
     * the accepted signal" means this stays 0.
     */
    public long mediaDatagramsBeforePickUp() {
        return mediaBeforePickUp.get();
    }

    /** Takes the worker's answer (as WhatsApp takes it from pre_accept). */
    public void acceptAnswer(String sdp) {
        this.answer = PhoneAnswer.parse(sdp);
    }

    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return connectedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isConnected() {
        return srtp != null;
    }

    /** Switches what the phone says, from the next tick. */
    public void play(PcmSource value) {
        this.source = value;
    }

    /** Queues DTMF digits (RFC 4733 key presses of 100 ms, 40 ms apart). */
    public void sendDtmf(String digits) {
        for (char c : digits.toCharArray()) {
            dtmfQueue.add(c);
        }
    }

    /** Starts (or restarts) recording what the phone hears from the next tick, and what arrives. */
    public void startRecording() {
        speaker.startRecording();
        arrivals.start();
    }

    /**
     * Every audio packet received since {@link #startRecording()}, decoded on arrival with its
     * {@link System#nanoTime()}: when the phone got which audio, before any playout delay.
     */
    public List<PhoneArrivals.Arrival> arrivals() {
        return arrivals.snapshot();
    }

    /** What the phone heard since {@link #startRecording()}, one frame per tick. */
    public short[] recording() {
        return speaker.recording();
    }

    public PhoneStats stats() {
        SrtpSession s = srtp;
        return new PhoneStats(
                s != null,
                answered.get(),
                badStun.get(),
                rtpSent.get(),
                rtpReceived.get(),
                firstRtpNanos,
                maxGapNanos / 1_000_000,
                s == null ? 0 : s.stats().dropped(),
                speaker.concealed(),
                errors.get());
    }

    /**
     * Every SRTP or SRTCP datagram (RFC 7983: first byte 128..191) the peer sent us, counted on
     * arrival, before any decryption: "no media before accept" means this stays 0.
     */
    public long mediaDatagramsReceived() {
        return mediaDatagramsReceived.get();
    }

    /**
     * DTLS datagrams that arrived before this phone could take them — before it had the answer
     * (our fingerprint) or from another address than the nominated pair — and were dropped, as a
     * WhatsApp client that has not got the answer from pre_accept yet would drop them.
     */
    public long dtlsDroppedEarly() {
        return dtlsDroppedEarly.get();
    }

    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    void recordError(Throwable t) {
        errors.incrementAndGet();
        lastError = t;
    }

    // --- selector thread --------------------------------------------------------------------

    /**
     * A datagram: the first {@code length} bytes of {@code buf}, which the selector thread reuses
     * for the next one (what is kept is copied).
     */
    void onDatagram(byte[] buf, int length, InetSocketAddress from) {
        if (closed || length == 0) {
            return;
        }
        int b0 = buf[0] & 0xFF;
        if (b0 <= 3) {
            onStun(StunMessage.decode(buf, 0, length), from);
        } else if (b0 >= 20 && b0 <= 63) {
            onDtls(Arrays.copyOf(buf, length), from);
        } else if (b0 >= 128 && b0 <= 191 && from.equals(peer)) {
            mediaDatagramsReceived.incrementAndGet();
            if (!pickedUp) {
                mediaBeforePickUp.incrementAndGet();
            }
            onSrtp(buf, length);
        }
    }

    /**
     * A Binding request that a {@link SharedPhonePort} routed here by its USERNAME: true when it
     * was authentic and answered, so the port gives its source address to this phone.
     */
    boolean onRoutedCheck(StunMessage request, InetSocketAddress from) {
        return !closed && onStun(request, from);
    }

    /**
     * ICE-lite (RFC 8445 §2.5): answer checks, take the nominated pair; never send checks. True
     * when {@code m} was an authentic Binding request, answered.
     */
    private boolean onStun(StunMessage m, InetSocketAddress from) {
        if (m != null && m.type() == StunMessage.BINDING_SUCCESS) {
            onCheckAnswered(m, from);
            return false;
        }
        if (m == null || m.type() != StunMessage.BINDING_REQUEST) {
            return false;
        }
        byte[] reply = IceLite.answer(m, ufrag, pwdKey, from);
        if (reply == null) {
            badStun.incrementAndGet();
            return false;
        }
        send(reply, 0, reply.length, from);
        answered.incrementAndGet();
        if (m.useCandidate() && peer == null) {
            peer = from;
            PhoneAnswer a = answer;
            if (dtlsClient && a != null && dtlsTransport == null) {
                // Our answer said active: the phone opens the handshake on the nominated pair.
                startDtlsClient(a, from);
            }
        }
        return true;
    }

    /** As a full ICE offerer: the answer to one of our checks; the first authentic one picks the pair. */
    private void onCheckAnswered(StunMessage m, InetSocketAddress from) {
        byte[] key = remotePwdKey;
        if (key == null
                || !from.equals(checkTarget)
                || !checksInFlight.remove(m.transactionKey())
                || !m.verifyIntegrity(key)) {
            badStun.incrementAndGet();
            return;
        }
        if (peer == null) {
            peer = from;
            checksInFlight.clear();
            PhoneAnswer a = answer;
            if (dtlsClient && a != null && dtlsTransport == null) {
                startDtlsClient(a, from); // the answer said passive
            }
        }
    }

    private void startDtlsClient(PhoneAnswer a, InetSocketAddress to) {
        var transport = new QueueDatagramTransport((b, o, l) -> sendDtls(b, o, l, to), 64);
        dtlsTransport = transport;
        Thread.ofVirtual().name("phone-dtls-client").start(() -> connectDtls(transport, a));
    }

    private void onDtls(byte[] data, InetSocketAddress from) {
        PhoneAnswer a = answer;
        if (a == null || !from.equals(peer)) {
            dtlsDroppedEarly.incrementAndGet();
            return;
        }
        if (dtlsTransport == null) {
            var transport = new QueueDatagramTransport((b, o, l) -> sendDtls(b, o, l, from), 64);
            dtlsTransport = transport;
            Thread.ofVirtual().name("phone-dtls").start(() -> serveDtls(transport, a));
        }
        dtlsTransport.offer(data);
    }

    private void connectDtls(QueueDatagramTransport transport, PhoneAnswer a) {
        try {
            secured(host.dtls().connect(transport, a.fingerprint()));
        } catch (DtlsHandshakeException e) {
            recordError(e);
        }
    }

    private void secured(DtlsConnection connection) {
        dtls = connection;
        srtp = new SrtpSession(connection.keys(), connection.role());
        connectedLatch.countDown();
        connection.serviceUntilClosed();
    }

    private void serveDtls(QueueDatagramTransport transport, PhoneAnswer a) {
        try {
            secured(host.dtls().accept(transport, a.fingerprint()));
        } catch (DtlsHandshakeException e) {
            recordError(e);
        }
    }

    private void onSrtp(byte[] data, int length) {
        SrtpSession s = srtp;
        if (s == null) {
            return;
        }
        int pt = length > 1 ? data[1] & 0x7F : 0;
        if (pt >= 64 && pt <= 95) {
            if (s.unprotectRtcp(rxBuffer.set(data, 0, length))) {
                reception.onRtcp(rxBuffer.getBuffer(), rxBuffer.getOffset(), rxBuffer.getLength(), System.nanoTime());
            }
            return;
        }
        if (!s.unprotectRtp(rxBuffer.set(data, 0, length))) {
            return;
        }
        long now = System.nanoTime();
        if (firstRtpNanos == 0) {
            firstRtpNanos = now;
        } else {
            maxGapNanos = Math.max(maxGapNanos, now - lastRtpNanos);
        }
        lastRtpNanos = now;
        rtpReceived.incrementAndGet();
        // The header's fields in place (RFC 3550 5.1), nothing allocated: a load test's phones
        // take thousands of packets a second and never look at most payloads.
        byte[] buf = rxBuffer.getBuffer();
        int off = rxBuffer.getOffset();
        int len = rxBuffer.getLength();
        int header = RtpParser.headerLength(buf, off, len);
        if (header < 0 || (buf[off + 1] & 0x7F) != OPUS_PT) {
            return;
        }
        int payload = len - header;
        if ((buf[off] & 0x20) != 0) {
            int padding = buf[off + len - 1] & 0xFF; // RFC 3550 5.1: the last octet counts the padding
            if (padding == 0 || padding > payload) {
                return;
            }
            payload -= padding;
        }
        long timestamp = u32(buf, off + 4);
        reception.onRtp(u32(buf, off + 8), u16(buf, off + 2), timestamp, (buf[off + 1] & 0x80) != 0, payload, now);
        speaker.offer(timestamp, buf, off + header, payload);
        arrivals.offer(now, buf, off + header, payload);
        PhoneEar e = ear;
        if (e != null) {
            e.offer(now, buf, off + header, payload);
        }
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    // --- pacing thread ------------------------------------------------------------------------

    void tick() {
        if (closed) {
            return;
        }
        speaker.tick();
        if (checkTarget != null && peer == null && ++checkTicks % CHECK_EVERY_TICKS == 0) {
            sendCheck();
        }
        SrtpSession s = srtp;
        InetSocketAddress to = peer;
        if (s == null || to == null || !pickedUp) {
            return;
        }
        long frameTimestamp = timestamp;
        timestamp = (timestamp + 960) & 0xFFFFFFFFL;
        if (loadPlayer != null) {
            long now = System.nanoTime();
            byte[] payload = loadPlayer.next(now);
            sendRtp(s, to, firstPacket || loadPlayer.marker(), OPUS_PT, frameTimestamp, payload);
            firstPacket = false;
            byte[] report = loadPlayer.reportIfDue(ssrc, frameTimestamp, rtpSent.get(), now);
            if (report != null && s.protectRtcp(txBuffer.set(report, 0, report.length))) {
                send(txBuffer.getBuffer(), txBuffer.getOffset(), txBuffer.getLength(), to);
            }
            return;
        }
        if (nextDtmf(s, to)) {
            return;
        }
        PcmSource playing = source;
        playing.next(frame);
        byte[] ahead = playing.encodedFrame();
        boolean silent = ahead == null && cheapSilence && isDigitalSilence(frame);
        silentFrames = silent ? silentFrames + 1 : 0;
        byte[] payload;
        if (ahead != null) {
            payload = ahead; // encoded once by the source for every phone that plays it
        } else if (silent && silencePacket != null && silentFrames > SETTLED_SILENCE_FRAMES) {
            payload = silencePacket;
        } else {
            int length;
            synchronized (encoder) {
                if (closed) {
                    return;
                }
                length = encoder.encode(frame, encoded, 0);
            }
            payload = Arrays.copyOf(encoded, length);
            if (silent && silentFrames == SETTLED_SILENCE_FRAMES) {
                silencePacket = payload; // no FEC of speech left in it: the encoder's steady silence
            }
        }
        sendRtp(s, to, firstPacket || playing.startsTalkSpurt(), OPUS_PT, frameTimestamp, payload);
        firstPacket = false;
    }

    private static boolean isDigitalSilence(short[] pcm) {
        for (short v : pcm) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * From now on a run of digital silence (all-zero frames) is sent as the encoder's packet for
     * settled silence, again and again, instead of being encoded every 20 ms: encoding 20 ms of
     * silence costs about 0.1 ms of CPU, which a fake service with a phone per call (hundreds in
     * the capacity benchmark, all ticked by one pacing thread) cannot spend every tick. The
     * receiver decodes the same silence.
     */
    public void cheapSilence() {
        cheapSilence = true;
    }

    /** What this phone measured about what it hears since {@link #resetReception()}. */
    public ReceptionSnapshot reception() {
        return reception.snapshot(speaker.concealed());
    }

    /** Starts a measurement window: forgets the gaps and talk-spurt times measured so far. */
    public void resetReception() {
        reception.reset();
    }

    private boolean nextDtmf(SrtpSession s, InetSocketAddress to) {
        if (dtmfTrain.isEmpty()) {
            Character digit = dtmfQueue.poll();
            if (digit == null) {
                return false;
            }
            dtmfTrain.addAll(DtmfEncoder.keyPress(digit, 100, 8000, 10));
            dtmfTimestamp = timestamp;
            dtmfTick = 0;
        }
        int now = dtmfTick++ * 20;
        boolean sent = false;
        while (!dtmfTrain.isEmpty() && dtmfTrain.peek().sendOffsetMillis() <= now) {
            DtmfEncoder.EventPacket p = dtmfTrain.poll();
            sendRtp(s, to, p.marker(), DTMF_PT, dtmfTimestamp, p.payload());
            sent = true;
        }
        return sent || !dtmfTrain.isEmpty();
    }

    private void sendRtp(SrtpSession s, InetSocketAddress to, boolean marker, int pt, long ts, byte[] payload) {
        var packet = new RtpPacket(marker, pt, sequence, ts, ssrc, payload);
        sequence = (sequence + 1) & 0xFFFF;
        txBuffer.setOffset(0);
        txBuffer.setLength(packet.writeTo(txBuffer.getBuffer(), 0));
        if (s.protectRtp(txBuffer)) {
            send(txBuffer.getBuffer(), txBuffer.getOffset(), txBuffer.getLength(), to);
            rtpSent.incrementAndGet();
        }
    }

    private void sendDtls(byte[] buf, int off, int len, InetSocketAddress to) {
        if (!muted) {
            send(buf, off, len, to);
        }
    }

    private void send(byte[] buf, int off, int len, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(buf, off, len), to);
        } catch (IOException e) {
            recordError(e);
        }
    }

    /**
     * Sends {@code datagram} as is from this phone's socket, its own or its shared port's
     * (robustness tests: what arrives from here passes the worker's address routing as this
     * call's peer). False when the socket had no room for it (the socket is non-blocking; UDP
     * drops it like a full queue would); a closed socket throws ({@link Datagrams#offer}).
     */
    public boolean sendRaw(byte[] datagram, InetSocketAddress to) {
        return Datagrams.offer(channel, datagram, to);
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Disappears without a DTLS close_notify, like a phone losing its network. On a shared port
     * the socket stays open for the other phones; this one just goes quiet.
     */
    public void vanish() {
        if (sharedPort != null) {
            muted = true;
        } else {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        host.remove(this);
        DtlsConnection d = dtls;
        if (d != null) {
            d.close();
        } else if (dtlsTransport != null) {
            dtlsTransport.abort();
        }
        if (sharedPort != null) {
            sharedPort.remove(this); // the socket is the port's: only this phone's routes go
        } else {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        SrtpSession s = srtp;
        if (s != null) {
            s.close();
        }
        // Native codec state: freed under the same locks its users take, after they see closed.
        if (encoder != null) {
            synchronized (encoder) {
                encoder.close();
            }
        }
        speaker.close();
        arrivals.close();
        PhoneEar e = ear;
        if (e != null) {
            e.close();
        }
    }
}
