package dev.voicebridge.worker.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.media.sdp.SdpRejectedException;
import dev.voicebridge.worker.agent.AgentConfig;
import dev.voicebridge.worker.agent.AgentObserver;
import dev.voicebridge.worker.agent.CallAgent;
import dev.voicebridge.worker.agent.CallAgentSetup;
import dev.voicebridge.worker.agent.Prices;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.model.ModelProvider;
import dev.voicebridge.worker.model.SessionSpec;
import dev.voicebridge.worker.providers.ModelProviders;
import dev.voicebridge.worker.realtime.RealtimeProvider;
import dev.voicebridge.worker.relay.OpusRelay;
import dev.voicebridge.worker.relay.RealtimeCallClient;
import dev.voicebridge.worker.relay.RelayedCall;
import dev.voicebridge.worker.telemetry.CallTrace;
import dev.voicebridge.worker.webrtc.CallTransport;
import dev.voicebridge.worker.webrtc.TransportListener;
import dev.voicebridge.worker.webrtc.WebRtcHost;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The production {@link CallEngine}: one {@link CallTransport} (ICE, DTLS-SRTP, the audio pipeline)
 * and one {@link CallAgent} (on the model API its VoiceAgent chose) per call, joined by the audio
 * ports. The agent
 * session is opened first, so the model is warm by the time WhatsApp accepts; the greeting starts
 * only when the call is both accepted and connected.
 */
public final class WorkerCallEngine implements CallEngine {
    private static final Logger LOG = Logger.getLogger(WorkerCallEngine.class.getName());
    /** Status snapshots come from the calls' owner threads; a busy owner must not stall a write. */
    private static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(2);
    /** Reads a relayed call's Opus payload type from its offer (the transport parses it again). */
    private static final SdpParser OFFERS = new SdpParser();

    private final WebRtcHost media;
    private final AgentConfig agentConfig;
    private final ModelProviders providers;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Function<Prices, AgentObserver> agentMetrics;

    public WorkerCallEngine(WebRtcHost media, AgentConfig agentConfig, ModelProviders providers, ObjectMapper json) {
        this(media, agentConfig, providers, json, prices -> AgentObserver.NONE);
    }

    /**
     * @param agentMetrics the worker's metrics observer of one call's agent, given the prices of
     *     that call's agent (its cost)
     */
    public WorkerCallEngine(
            WebRtcHost media,
            AgentConfig agentConfig,
            ModelProviders providers,
            ObjectMapper json,
            Function<Prices, AgentObserver> agentMetrics) {
        this.agentMetrics = agentMetrics;
        this.media = media;
        this.agentConfig = agentConfig;
        this.providers = providers;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /**
     * Builds a client of each model API (the embedded agent's, Realtime's, GPT-Live's) without
     * connecting: their classes and the process-wide WebSocket client (the JDK's HTTP client)
     * are then ready before the first call asks for one.
     */
    @Override
    public void warmUp() {
        for (String api : new String[] {null, ModelApis.REALTIME, ModelApis.LIVE}) {
            try {
                providers.forAgent(api, api == null ? null : "warm-up", json);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, LogLine.of("worker.warm-up.model-client-failed", "api", api), e);
            }
        }
    }

    @Override
    public RunningCall start(CallSetup setup, CallObserver observer) throws CallSetupException {
        CallTrace trace = setup.trace();
        var call = new Call(observer, trace, agentConfig.closeTimeout().plus(SNAPSHOT_WAIT));
        CallTransport session;
        Instant answerStart = trace.now();
        String apiKey = setup.openAiApiKey().orElse(null);
        // The embedded agent has no network peer to relay to: it keeps the WebSocket path.
        boolean relaying = ModelApis.relaysOverWebRtc(setup.agent()) && apiKey != null && !apiKey.isBlank();
        OpusRelay relay = null;
        // The session and agent know the call by its resource name, a hash of WhatsApp's call id:
        // it names their threads and log lines, and the raw id never reaches a log at INFO.
        try {
            if (relaying) {
                // on our own offer the caller's leg learns its payload type from WhatsApp's answer
                var offered = setup.sdpOffer() == null
                        ? null
                        : OFFERS.parse(setup.sdpOffer()).audio();
                relay = new OpusRelay(offered == null ? -1 : offered.opus().payloadType());
                relay.hearCallerKeys(
                        offered == null
                                ? -1
                                : offered.telephoneEvent()
                                        .map(t -> t.payloadType())
                                        .orElse(-1),
                        call.callerAudio::onDtmf);
                session = setup.sdpOffer() == null
                        ? media.createOutboundTransport(setup.name(), relay.callerLeg(), call)
                        : media.createTransport(setup.name(), setup.sdpOffer(), relay.callerLeg(), call);
            } else {
                session = setup.sdpOffer() == null
                        ? media.createOutboundCall(setup.name(), call.callerAudio, call)
                        : media.createCall(setup.name(), setup.sdpOffer(), call.callerAudio, call);
            }
        } catch (SdpRejectedException e) {
            trace.answer(answerStart, trace.now(), EndReason.InvalidOffer.name());
            throw new CallSetupException(EndReason.InvalidOffer, e.code() + ": " + e.detail());
        } catch (IllegalStateException duplicate) {
            trace.answer(answerStart, trace.now(), EndReason.InternalError.name());
            throw new CallSetupException(EndReason.InternalError, duplicate.getMessage());
        }
        trace.answer(answerStart, trace.now(), null);
        ModelProvider provider;
        AgentAudioOutput output;
        if (relay != null) {
            var relayed = RelayedCall.open(
                    media,
                    new RealtimeCallClient(
                            RealtimeCallClient.callsUrl(providers.realtime().baseUrl()),
                            apiKey,
                            http,
                            providers.realtime().connectTimeout()),
                    setup.name(),
                    relay,
                    RealtimeProvider.sessionJson(SessionSpec.of(setup.agent(), setup.overrides()), json),
                    call::agentEnds);
            call.relayed = relayed;
            provider = RealtimeProvider.overWebRtc(providers
                    .realtime()
                    .sidebandFor(
                            apiKey, json, relayed.sideband(providers.realtime().baseUrl())));
            output = relayed.playout();
        } else {
            provider = providers.forAgent(setup.agent().getApi(), apiKey, json);
            output = session.agentOutput();
        }
        var model = setup.overrides() != null && setup.overrides().getModel() != null
                ? setup.overrides().getModel()
                : null;
        var agent = new CallAgent(
                new CallAgentSetup(
                        setup.name(),
                        setup.agent(),
                        setup.overrides(),
                        provider,
                        output,
                        call::agentEnds,
                        setup.secrets(),
                        agentConfig,
                        AgentObserver.both(trace, agentMetrics.apply(Prices.of(setup.agent(), model))),
                        setup.maxDuration()),
                json,
                http);
        call.attach(session, agent);
        agent.start();
        trace.iceStarted(trace.now());
        session.start();
        return call;
    }

    /** One call: the session, its agent, and the two conditions that start the conversation. */
    private static final class Call implements RunningCall, TransportListener {
        private final CallObserver observer;
        private final CallTrace trace;
        /** The session is created before the agent that consumes its audio: forward once attached. */
        private final ForwardingSink callerAudio = new ForwardingSink();

        private volatile CallTransport session;
        private volatile CallAgent agent;
        /** The model's side when the call's audio is relayed over WebRTC, else null. */
        private volatile RelayedCall relayed;

        private volatile String agentEndDetail;
        /** The agent's figures as the call ended, kept for the final status write. */
        private volatile AgentStatus finalAgentStatus;

        private final Duration finishWait;
        private boolean accepted;
        /** When the call was accepted, as the accepting service recorded it (null: when we heard). */
        private Instant acceptedAt;

        private boolean connected;
        private boolean mediaUp;

        Call(CallObserver observer, CallTrace trace, Duration finishWait) {
            this.observer = observer;
            this.trace = trace;
            this.finishWait = finishWait;
        }

        void attach(CallTransport session, CallAgent agent) {
            this.session = session;
            this.agent = agent;
            callerAudio.target = agent;
        }

        @Override
        public String sdpAnswer() {
            return session.isOffering() ? null : session.answer();
        }

        @Override
        public String sdpOffer() {
            return session.isOffering() ? session.offer() : null;
        }

        @Override
        public void remoteAnswer(String sdp) throws CallSetupException {
            try {
                session.applyAnswer(sdp);
            } catch (SdpRejectedException e) {
                throw new CallSetupException(EndReason.InvalidAnswer, e.code() + ": " + e.detail());
            }
        }

        @Override
        public void accepted(Instant at) {
            session.markAccepted();
            boolean up;
            synchronized (this) {
                accepted = true;
                acceptedAt = at;
                up = startConversation();
            }
            if (up) {
                agent.mediaUp(at);
            }
        }

        @Override
        public void onConnected(CallTransport s) {
            // On the session's owner thread: the figures are read by a task queued behind this one.
            Instant at = trace.now();
            s.stats().thenAccept(stats -> trace.transportUp(stats.iceMillis(), stats.dtlsMillis(), at));
            boolean up;
            synchronized (this) {
                connected = true;
                up = startConversation();
            }
            observer.mediaConnected();
            agent.mediaConnected();
            if (up) {
                agent.mediaUp(acceptedAt);
            }
        }

        @Override
        public void onCallerMedia(CallTransport s) {
            observer.callerMedia();
        }

        /** True exactly once: when the call is both accepted by WhatsApp and connected. */
        private boolean startConversation() {
            if (accepted && connected && !mediaUp) {
                mediaUp = true;
                return true;
            }
            return false;
        }

        /**
         * The agent ended the call (end_call, model unavailable, fatal model error), or the
         * relayed model's leg did: the first reason stands.
         */
        void agentEnds(EndReason reason, String detail) {
            synchronized (this) {
                if (agentEndDetail != null) {
                    return;
                }
                agentEndDetail = detail;
            }
            session.hangup(reason);
        }

        /**
         * Finishes the agent (its sessions closed, and the usage their services report only at the
         * end collected) and only then reports the end, so the final status write has every turn,
         * barge-in and billed second. Runs on the session's owner thread, so it chains on the
         * agent's figures instead of waiting for them.
         */
        @Override
        public void onEnded(CallTransport s, EndReason reason, String detail) {
            String why = agentEndDetail != null ? agentEndDetail : detail;
            RelayedCall r = relayed;
            if (r != null) {
                r.end(reason);
            }
            Instant at = trace.now();
            s.stats().thenAccept(stats -> trace.transportEnded(stats.iceMillis(), at, reason));
            CallAgent a = agent;
            if (a == null) {
                observer.ended(reason, why);
                return;
            }
            a.finish().orTimeout(finishWait.toMillis(), TimeUnit.MILLISECONDS).whenComplete((snapshot, failure) -> {
                if (snapshot != null) {
                    finalAgentStatus = snapshot.toStatus();
                }
                observer.ended(reason, why);
            });
        }

        @Override
        public void hangup(EndReason reason, String message) {
            session.hangup(reason);
        }

        @Override
        public MediaStatus mediaStatus() {
            try {
                return MediaStatusMapper.toStatus(session.stats().get(SNAPSHOT_WAIT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                LOG.log(Level.FINE, LogLine.of("call.media-stats-unavailable", LogLine.CALL, session.callId()), e);
                return new MediaStatus();
            }
        }

        @Override
        public AgentStatus agentStatus() {
            AgentStatus last = finalAgentStatus;
            if (last != null) {
                return last;
            }
            try {
                return agent.snapshot()
                        .get(SNAPSHOT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                        .toStatus();
            } catch (Exception e) {
                LOG.log(Level.FINE, LogLine.of("call.agent-figures-unavailable", LogLine.CALL, session.callId()), e);
                return null;
            }
        }
    }

    /** Caller audio towards an agent that is attached right after the session is created. */
    private static final class ForwardingSink implements CallerAudioSink {
        private volatile CallerAudioSink target;

        @Override
        public void onCallerAudio(short[] frame, boolean concealed) {
            CallerAudioSink t = target;
            if (t != null) {
                t.onCallerAudio(frame, concealed);
            }
        }

        @Override
        public void onDtmf(char digit) {
            CallerAudioSink t = target;
            if (t != null) {
                t.onDtmf(digit);
            }
        }
    }
}
