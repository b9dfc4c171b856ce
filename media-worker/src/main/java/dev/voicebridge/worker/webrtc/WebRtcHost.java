package dev.voicebridge.worker.webrtc;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.dtls.DtlsEndpoint;
import dev.voicebridge.media.dtls.DtlsIdentity;
import dev.voicebridge.media.sdp.IceCandidate;
import dev.voicebridge.media.sdp.SdpOffer;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.media.sdp.SdpRejectedException;
import dev.voicebridge.media.srtp.SrtpSession;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.ice.CandidatePolicy;
import dev.voicebridge.worker.ice.Ice4jSettings;
import dev.voicebridge.worker.ice.IceGuard;
import dev.voicebridge.worker.pipeline.CallMedia;
import dev.voicebridge.worker.pipeline.MediaConfig;
import dev.voicebridge.worker.pipeline.MediaHandler;
import dev.voicebridge.worker.pipeline.Pacer;
import dev.voicebridge.worker.pipeline.PeerMedia;
import dev.voicebridge.worker.transport.LegPort;
import dev.voicebridge.worker.transport.MediaPort;
import dev.voicebridge.worker.transport.SharedUdpPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Owns what a worker's calls share — the UDP port, the timer thread, the DTLS identity — and the
 * transports by call id. One per worker process.
 */
public final class WebRtcHost implements AutoCloseable {
    private final SharedUdpPort port;
    private final SharedResources shared;
    private final MediaConfig mediaConfig;
    private final Pacer pacer;
    private final Map<String, CallTransport> transports = new ConcurrentHashMap<>();
    private final SdpParser parser = new SdpParser();

    private WebRtcHost(SharedUdpPort port, SharedResources shared, MediaConfig mediaConfig) {
        this.port = port;
        this.shared = shared;
        this.mediaConfig = mediaConfig;
        // One 20 ms clock for every call of the worker (docs/media-transport.md, threading).
        this.pacer = new Pacer("media-pacer", mediaConfig);
        this.pacer.start();
    }

    /**
     * Binds the shared port and creates the worker's DTLS identity. WebRTC peers trust the
     * certificate by its fingerprint, not its dates; the year of validity only keeps strict
     * peers from seeing an expired certificate on a long-lived worker.
     */
    public static WebRtcHost start(TransportConfig config) throws IOException {
        return start(config, MediaConfig.DEFAULTS);
    }

    public static WebRtcHost start(TransportConfig config, MediaConfig mediaConfig) throws IOException {
        // jitsi-srtp benchmarks its AES providers on first use (over a second here): do it now,
        // not on the shared pacer at the first call's first RTP packet.
        SrtpSession.warmUp();
        Ice4jSettings.install(config.ice());
        var port = SharedUdpPort.open(
                new InetSocketAddress(config.bindAddress(), config.port()),
                config.socketBufferBytes(),
                config.sendQueueCapacity());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("media-timer").daemon().factory());
        var identity = DtlsIdentity.generate("voicebridge-worker", Duration.ofDays(365));
        var dtls = new DtlsEndpoint(identity, config.srtpProfiles(), config.dtlsHandshakeTimeout());
        var engine = new WebRtcHost(
                port,
                new SharedResources(
                        config,
                        port,
                        timer,
                        dtls,
                        candidates(config, port),
                        new IceGuard(config.candidates(), config.checks())),
                mediaConfig);
        // The pacer sends one packet per call per tick: wake the sender thread once per tick.
        engine.pacer.aroundTicks(port::holdSends, port::flushSends);
        // Without its port no call here has media: end them now rather than at consent timeout.
        port.onFailure(reason -> engine.closeAll(EndReason.WorkerLost));
        return engine;
    }

    /**
     * Our candidates: one host candidate per advertised address on {@code port} (the shared port,
     * or a model leg's). With a static NAT mapping the advertised address is the public side; the
     * port is the same on both sides.
     */
    private static List<IceCandidate> candidates(TransportConfig config, MediaPort port) {
        List<String> addresses = config.advertisedAddresses();
        if (addresses.isEmpty()) {
            InetAddress bound = port.localAddress().getAddress();
            if (bound.isAnyLocalAddress()) {
                throw new IllegalArgumentException(
                        "bind address is a wildcard: configure at least one advertised address");
            }
            addresses = List.of(bound.getHostAddress());
        }
        var out = new ArrayList<IceCandidate>();
        long priority = (126L << 24) | (65535L << 8) | 255;
        for (int i = 0; i < addresses.size(); i++) {
            // Distinct local preference per address keeps priorities unique (RFC 8445 §5.1.2.1).
            out.add(IceCandidate.udpHost(
                    String.valueOf(i + 1),
                    priority - ((long) i << 8),
                    addresses.get(i),
                    port.localAddress().getPort()));
        }
        return out;
    }

    /**
     * Creates a call running the audio pipeline: the caller's audio goes to {@code sink}, the
     * agent's audio comes from {@link CallTransport#agentOutput()}. Not started.
     */
    public CallTransport createCall(String callId, String offerSdp, CallerAudioSink sink, TransportListener listener)
            throws SdpRejectedException {
        SdpOffer offer = parser.parse(offerSdp);
        return pipelineCall(shared, callId, offer, sink, listener);
    }

    /**
     * A call whose media is the audio pipeline ({@link CallMedia}), which joins the shared pacer
     * once DTLS-SRTP is up, so nothing is encoded for a call that never connects. {@code offer}
     * is null on a call we offer: the peer's media is then what our offer asked for (WhatsApp's
     * answer uses the offer's payload types, RFC 3264 section 6.1).
     */
    private CallTransport pipelineCall(
            SharedResources resources,
            String callId,
            SdpOffer offer,
            CallerAudioSink sink,
            TransportListener listener) {
        var sender = new SrtpSender(callId, resources.port());
        var media = CallMedia.create(
                callId, mediaConfig, offer == null ? PeerMedia.OFFERED : PeerMedia.from(offer), sink, sender);
        try {
            return register(resources, callId, offer, media, () -> media.start(pacer), listener, sender, () -> {});
        } catch (RuntimeException e) {
            media.close();
            throw e;
        }
    }

    /**
     * Makes one call through this engine against a peer on loopback (see {@link WarmUp}) so the
     * first real call finds its code loaded and run; blocks for at most {@code bound}. Call it
     * before the worker takes calls. Never throws: what the self-call reached is returned and
     * logged, and a worker whose self-call failed still serves calls (its first ones slower).
     */
    public WarmUp.Result warmUp(Duration bound) {
        return WarmUp.run(this, bound);
    }

    /** The self-call: its candidate is on loopback, so it runs under its own ICE guard. */
    CallTransport createWarmUpCall(String offerSdp, CallerAudioSink sink, TransportListener listener)
            throws SdpRejectedException {
        var guard = new IceGuard(
                CandidatePolicy.parse("1", CandidatePolicy.DEFAULT_FAMILIES, "", "none"),
                shared.config().checks());
        var resources = new SharedResources(
                shared.config(), shared.port(), shared.timer(), shared.dtls(), shared.localCandidates(), guard);
        return pipelineCall(resources, "warm-up-" + System.nanoTime(), parser.parse(offerSdp), sink, listener);
    }

    DtlsEndpoint dtls() {
        return shared.dtls();
    }

    /**
     * Parses the offer and creates the call's session (not started). Throws the parser's typed
     * refusal for offers we cannot serve (→ InvalidOffer).
     */
    public CallTransport createTransport(String callId, String offerSdp, MediaHandler media, TransportListener listener)
            throws SdpRejectedException {
        return register(
                shared,
                callId,
                parser.parse(offerSdp),
                media,
                () -> {},
                listener,
                new SrtpSender(callId, shared.port()),
                () -> {});
    }

    /**
     * Creates a business-initiated call running the audio pipeline: the session makes the offer
     * ({@link CallTransport#offer()}) and starts once WhatsApp's answer is applied.
     */
    public CallTransport createOutboundCall(String callId, CallerAudioSink sink, TransportListener listener) {
        return pipelineCall(shared, callId, null, sink, listener);
    }

    /** Creates a business-initiated call's session (it offers; not started until its answer). */
    public CallTransport createOutboundTransport(String callId, MediaHandler media, TransportListener listener) {
        return register(
                shared, callId, null, media, () -> {}, listener, new SrtpSender(callId, shared.port()), () -> {});
    }

    /**
     * Creates a relayed call's model leg (it offers, like {@link #createOutboundTransport}) on a
     * socket of its own ({@link SharedUdpPort#openLeg()}), closed when the leg ends: OpenAI answers
     * every call from one media address, so legs sharing our port would share a 5-tuple.
     *
     * @throws IOException no socket could be bound for the leg
     */
    public CallTransport createModelLeg(String callId, MediaHandler media, TransportListener listener)
            throws IOException {
        LegPort leg = port.openLeg();
        try {
            var resources = new SharedResources(
                    shared.config(),
                    leg,
                    shared.timer(),
                    shared.dtls(),
                    candidates(shared.config(), leg),
                    shared.iceGuard());
            return register(
                    resources, callId, null, media, () -> {}, listener, new SrtpSender(callId, leg), leg::close);
        } catch (RuntimeException e) {
            leg.close();
            throw e;
        }
    }

    /** {@code afterEnd} runs once the transport has ended and its listener was told. */
    private CallTransport register(
            SharedResources resources,
            String callId,
            SdpOffer offer,
            MediaHandler media,
            Runnable whenConnected,
            TransportListener listener,
            SrtpSender sender,
            Runnable afterEnd) {
        var session = new CallTransport(
                callId,
                offer,
                resources,
                media,
                new TransportListener() {
                    @Override
                    public void onConnected(CallTransport s) {
                        whenConnected.run();
                        listener.onConnected(s);
                    }

                    @Override
                    public void onCallerMedia(CallTransport s) {
                        listener.onCallerMedia(s);
                    }

                    @Override
                    public void onEnded(CallTransport s, EndReason reason, String detail) {
                        transports.remove(callId, s);
                        try {
                            listener.onEnded(s, reason, detail);
                        } finally {
                            afterEnd.run();
                        }
                    }
                },
                sender);
        CallTransport previous = transports.putIfAbsent(callId, session);
        if (previous != null) {
            throw new IllegalStateException("call " + callId + " already has a session");
        }
        return session;
    }

    public Optional<CallTransport> transport(String callId) {
        return Optional.ofNullable(transports.get(callId));
    }

    public Collection<CallTransport> transports() {
        return List.copyOf(transports.values());
    }

    public Pacer pacer() {
        return pacer;
    }

    public SharedUdpPort port() {
        return port;
    }

    /** The bounds on what the calls' ICE sends, and the count of what they refused. */
    public IceGuard iceGuard() {
        return shared.iceGuard();
    }

    public String fingerprint() {
        return shared.dtls().identity().fingerprint().toSdpValue();
    }

    public void closeAll(EndReason reason) {
        transports.values().forEach(s -> s.hangup(reason));
    }

    @Override
    public void close() {
        closeAll(EndReason.WorkerShutdown);
        pacer.close();
        shared.timer().shutdownNow();
        port.close();
    }
}
