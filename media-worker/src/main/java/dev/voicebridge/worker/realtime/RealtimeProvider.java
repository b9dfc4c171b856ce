package dev.voicebridge.worker.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.agent.ModelApi;
import dev.voicebridge.worker.model.Capabilities;
import dev.voicebridge.worker.model.ModelEvent;
import dev.voicebridge.worker.model.ModelProvider;
import dev.voicebridge.worker.model.ModelSession;
import dev.voicebridge.worker.model.SessionSpec;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The Realtime API behind the model-session port, over either wire: OpenAI's service
 * ({@link OpenAiRealtimeClient}) or the embedded local agent ({@link EmbeddedRealtimeClient}),
 * which speaks the same events. Usage is billed in tokens and the service reports caller speech.
 * With the audio on the session's WebSocket, barge-in is the client's (we cancel by truncating to
 * what was played) and the session rolls over before the service's limit. With the audio relayed
 * over WebRTC ({@link #overWebRtc}) the WebSocket is the call's sideband: OpenAI holds the output
 * audio, so it stops its own speech when the caller talks, and the session is the call's.
 */
public final class RealtimeProvider implements ModelProvider {
    private static final Capabilities CAPABILITIES =
            new Capabilities(Capabilities.BargeIn.CLIENT_TRUNCATES, ModelApi.Billing.TOKENS, 0, true, true);
    /**
     * No playout of ours; depth 0 asks for the greeting while the call is pre-accepted, and the
     * relay holds the model's audio at the caller's leg until the lead-in after the accept.
     */
    private static final Capabilities OVER_WEBRTC =
            new Capabilities(Capabilities.BargeIn.MODEL_CONTROLLED, ModelApi.Billing.TOKENS, 0, true, false);

    private final RealtimeClient client;
    private final boolean overWebRtc;

    public RealtimeProvider(RealtimeClient client) {
        this(client, false);
    }

    private RealtimeProvider(RealtimeClient client, boolean overWebRtc) {
        this.client = client;
        this.overWebRtc = overWebRtc;
    }

    /** A call whose audio the worker relays over WebRTC; {@code sideband} connects to its sideband. */
    public static RealtimeProvider overWebRtc(RealtimeClient sideband) {
        return new RealtimeProvider(sideband, true);
    }

    /**
     * The session's configuration as a relayed call's creation carries it (the {@code session}
     * part of {@code POST /v1/realtime/calls}): the model is configured before the sideband
     * attaches, which repeats it.
     */
    public static String sessionJson(SessionSpec spec, ObjectMapper json) {
        return new ClientEventWriter(json)
                .sessionUpdate(SessionConfig.from(spec).overWebRtc())
                .get("session")
                .toString();
    }

    /**
     * The configuration a session sends. Over a relayed call's sideband, a reconnect rejoins the
     * call's one session at OpenAI, which kept its conversation: it gets the call's first
     * configuration again, without the "continuing" note and the recent exchange that seed a new
     * WebSocket session (the model would read the conversation twice).
     */
    static SessionConfig config(SessionSpec spec, boolean overWebRtc) {
        return overWebRtc ? SessionConfig.from(spec.first()).overWebRtc() : SessionConfig.from(spec);
    }

    @Override
    public String api() {
        return "embedded".equals(client.kind()) ? "embedded" : "realtime";
    }

    @Override
    public Capabilities capabilities() {
        return overWebRtc ? OVER_WEBRTC : CAPABILITIES;
    }

    @Override
    public ModelSession open(SessionSpec spec, Executor owner, Consumer<ModelEvent> events) {
        var session = new RealtimeSession(config(spec, overWebRtc), owner, events);
        session.connect(client);
        return session;
    }
}
