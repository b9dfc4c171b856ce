package dev.voicebridge.worker.realtime;

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
 * which speaks the same events. Barge-in is the client's (we cancel by truncating to what was
 * played), usage is billed in tokens, and the service reports caller speech.
 */
public final class RealtimeProvider implements ModelProvider {
    private static final Capabilities CAPABILITIES =
            new Capabilities(Capabilities.BargeIn.CLIENT_TRUNCATES, ModelApi.Billing.TOKENS, 0, true);

    private final RealtimeClient client;

    public RealtimeProvider(RealtimeClient client) {
        this.client = client;
    }

    @Override
    public String api() {
        return "embedded".equals(client.kind()) ? "embedded" : "realtime";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ModelSession open(SessionSpec spec, Executor owner, Consumer<ModelEvent> events) {
        var session = new RealtimeSession(SessionConfig.from(spec), owner, events);
        session.connect(client);
        return session;
    }
}
