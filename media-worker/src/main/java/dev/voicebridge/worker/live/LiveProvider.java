package dev.voicebridge.worker.live;

import dev.voicebridge.api.agent.ModelApi;
import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.worker.model.Capabilities;
import dev.voicebridge.worker.model.ModelEvent;
import dev.voicebridge.worker.model.ModelProvider;
import dev.voicebridge.worker.model.ModelSession;
import dev.voicebridge.worker.model.SessionSpec;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * GPT-Live behind the model-session port. The model decides turns and barge-in itself, so we
 * never cut it off and keep the playout queue shallow; it is billed per second of session. Tools
 * run through Responses delegation (GPT-Live has no other tool channel): the backend model calls
 * our functions, we answer each call and let it continue. A continuing session is a new session
 * seeded with the conversation as startup history (a Live session cannot be resumed).
 */
public final class LiveProvider implements ModelProvider {
    static final String CONTINUING_NOTE =
            "This call is already in progress and continues on a new connection. Do not greet again.";
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private final LiveClient client;
    private final LiveTuning tuning;

    public LiveProvider(LiveClient client, LiveTuning tuning) {
        this.client = client;
        this.tuning = tuning;
    }

    @Override
    public String api() {
        return ModelApis.LIVE;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(
                Capabilities.BargeIn.MODEL_CONTROLLED,
                ModelApi.Billing.SESSION_TIME,
                tuning.playoutDepthFrames(),
                false,
                true);
    }

    @Override
    public ModelSession open(SessionSpec spec, Executor owner, Consumer<ModelEvent> events) {
        var session = new LiveSession(config(spec), tuning, "live_" + SESSIONS.incrementAndGet() + "_", owner, events);
        session.start(client);
        return session;
    }

    static LiveSessionConfig config(SessionSpec spec) {
        String instructions = spec.continuing()
                ? (spec.instructions().isBlank() ? "" : spec.instructions() + "\n\n") + CONTINUING_NOTE
                : spec.instructions();
        var history = spec.history().stream()
                .map(l -> new LiveSessionConfig.HistoryMessage(
                        l.role() == ModelEvent.Role.CALLER
                                ? LiveSessionConfig.HistoryMessage.Role.USER
                                : LiveSessionConfig.HistoryMessage.Role.ASSISTANT,
                        l.text()))
                .toList();
        if (history.size() > LiveSessionConfig.MAX_HISTORY) {
            history = history.subList(history.size() - LiveSessionConfig.MAX_HISTORY, history.size());
        }
        String backend = spec.agent().getBackendModel() != null
                        && !spec.agent().getBackendModel().isBlank()
                ? spec.agent().getBackendModel()
                : ModelApis.byName(ModelApis.LIVE).orElseThrow().defaultBackendModel();
        List<LiveSessionConfig.FunctionTool> tools = spec.tools().stream()
                .map(t -> new LiveSessionConfig.FunctionTool(t.name(), t.description(), t.parameters()))
                .toList();
        // Responses delegation even without tools: under client delegation the model's delegated
        // work would wait for an answer nobody gives. The backend gets the same instructions.
        var delegation = new LiveSessionConfig.Delegation.Responses(backend, spec.instructions(), tools, null);
        return new LiveSessionConfig(spec.model(), instructions, spec.voice(), delegation, history);
    }
}
