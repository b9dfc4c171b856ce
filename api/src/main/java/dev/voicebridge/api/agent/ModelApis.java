package dev.voicebridge.api.agent;

import dev.voicebridge.api.agent.ModelApi.Billing;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The voice APIs voicebridge speaks, with their models and list prices (sources in docs/agent.md,
 * "Models and prices"). Shared by the operator (validation) and the media worker (defaults, cost).
 */
public final class ModelApis {
    /** OpenAI's Realtime API (filed under "legacy" by OpenAI since GPT-Live), token priced. */
    public static final String REALTIME = "realtime";
    /** OpenAI GPT-Live, priced per second of session. */
    public static final String LIVE = "live";

    /** {@code spec.modelTransport}: PCM over the model's WebSocket, transcoded by the worker (the default). */
    public static final String TRANSPORT_WEBSOCKET = "websocket";
    /** {@code spec.modelTransport}: the caller's Opus relayed to the model's WebRTC endpoint (realtime only). */
    public static final String TRANSPORT_WEBRTC = "webrtc";

    /** Whether a call of {@code spec} relays its audio to the model over WebRTC. */
    public static boolean relaysOverWebRtc(VoiceAgentSpec spec) {
        return TRANSPORT_WEBRTC.equals(spec.getModelTransport());
    }

    private static final ListPrice REALTIME_2 = ListPrice.tokens(32, 0.40, 64, 4, 0.40, 24);
    private static final ListPrice REALTIME_1 = ListPrice.tokens(32, 0.40, 64, 4, 0.40, 16);
    private static final ListPrice REALTIME_MINI = ListPrice.tokens(10, 0.30, 20, 0.60, 0.06, 2.40);
    private static final ListPrice LIVE_1 = ListPrice.session(0.05, 0.02);

    private static final ModelApi REALTIME_API = new ModelApi(
            REALTIME,
            Billing.TOKENS,
            "gpt-realtime-2.1",
            List.of("gpt-realtime", "gpt-4o-realtime", "gpt-4o-mini-realtime"),
            Map.of(
                    "gpt-realtime-2.1", REALTIME_2,
                    "gpt-realtime-2", REALTIME_2,
                    "gpt-realtime-2.1-mini", REALTIME_MINI,
                    "gpt-realtime-mini", REALTIME_MINI,
                    "gpt-realtime", REALTIME_1,
                    "gpt-realtime-1.5", REALTIME_1),
            null,
            Map.of(),
            List.of());

    private static final ModelApi LIVE_API = new ModelApi(
            LIVE,
            Billing.SESSION_TIME,
            "gpt-live-1.1",
            List.of("gpt-live-"),
            Map.of("gpt-live-1.1", LIVE_1, "gpt-live-1", LIVE_1),
            "gpt-5.4-mini",
            Map.of("gpt-5.4-mini", ListPrice.ZERO.withBackend(0.75, 0.075, 4.50)),
            List.of("speed", "turnDetection", "inputTranscription", "noiseReduction"));

    private static final List<ModelApi> ALL = List.of(REALTIME_API, LIVE_API);

    private ModelApis() {}

    public static List<ModelApi> all() {
        return ALL;
    }

    public static Optional<ModelApi> byName(String name) {
        String n = name == null || name.isBlank() ? REALTIME : name;
        return ALL.stream().filter(a -> a.name().equals(n)).findFirst();
    }

    /** The API a model belongs to, by its name. */
    public static Optional<ModelApi> owning(String model) {
        return ALL.stream().filter(a -> a.owns(model)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(ModelApi::name).toList();
    }
}
