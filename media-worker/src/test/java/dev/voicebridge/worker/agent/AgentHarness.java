package dev.voicebridge.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.InputTranscription;
import dev.voicebridge.api.v1alpha1.ToolType;
import dev.voicebridge.api.v1alpha1.TurnDetection;
import dev.voicebridge.api.v1alpha1.TurnDetectionType;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.testkit.live.FakeLiveServer;
import dev.voicebridge.testkit.realtime.FakeRealtimeServer;
import dev.voicebridge.worker.live.LiveClient;
import dev.voicebridge.worker.live.LiveClientConfig;
import dev.voicebridge.worker.live.LiveProvider;
import dev.voicebridge.worker.live.LiveTuning;
import dev.voicebridge.worker.model.ModelProvider;
import dev.voicebridge.worker.realtime.OpenAiRealtimeClient;
import dev.voicebridge.worker.realtime.OpenAiRealtimeConfig;
import dev.voicebridge.worker.realtime.RealtimeProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One call's agent wired to a fake model service (the Realtime fake, or the GPT-Live fake with
 * {@link #live()}) over a real WebSocket, and a fake paced leg.
 */
final class AgentHarness implements AutoCloseable {
    static final String KEY = "sk-test-voicebridge";

    record Ended(EndReason reason, String detail, long nanoTime) {}

    final ObjectMapper json = new ObjectMapper();
    final FakeRealtimeServer server;
    final FakeLiveServer live;
    final FakeCallLeg leg = new FakeCallLeg();
    final List<Ended> ends = new CopyOnWriteArrayList<>();
    CallAgent agent;

    AgentHarness() {
        this(true);
    }

    /** @param withServer false for tests of the embedded agent, which must open no socket */
    AgentHarness(boolean withServer) {
        this(withServer ? FakeRealtimeServer.start(KEY) : null, null);
    }

    private AgentHarness(FakeRealtimeServer server, FakeLiveServer live) {
        this.server = server;
        this.live = live;
    }

    /** A harness on the fake GPT-Live service. */
    static AgentHarness live() {
        return new AgentHarness(null, FakeLiveServer.start(KEY));
    }

    /** A GPT-Live agent: the same test agent, on api live (the model's own turn taking). */
    static VoiceAgentSpec liveSpec() {
        var spec = spec();
        spec.setApi("live");
        spec.setModel("gpt-live-1.1");
        spec.setTurnDetection(null);
        spec.setInputTranscription(null);
        return spec;
    }

    ModelProvider liveProvider() {
        return liveProvider(KEY);
    }

    ModelProvider liveProvider(String key) {
        var config = new LiveClientConfig(live.uri(), key, Duration.ofSeconds(2), Duration.ofSeconds(3), null, 0);
        return new LiveProvider(new LiveClient(config, json), LiveTuning.DEFAULTS);
    }

    static VoiceAgentSpec spec() {
        var spec = new VoiceAgentSpec();
        spec.setModel("gpt-realtime-2.1");
        spec.setVoice("marin");
        spec.setInstructions("You are the voicebridge test agent.");
        var td = new TurnDetection();
        td.setType(TurnDetectionType.server_vad);
        td.setSilenceDurationMillis(300);
        spec.setTurnDetection(td);
        var tr = new InputTranscription();
        tr.setModel("gpt-4o-mini-transcribe");
        spec.setInputTranscription(tr);
        var endCall = new AgentTool();
        endCall.setName("end_call");
        endCall.setType(ToolType.builtin);
        endCall.setDescription("End the call politely.");
        spec.setTools(new ArrayList<>(List.of(endCall)));
        return spec;
    }

    static AgentConfig config() {
        return AgentConfig.DEFAULTS.withUnavailableAfter(Duration.ofSeconds(10));
    }

    ModelProvider openAi() {
        return new RealtimeProvider(new OpenAiRealtimeClient(
                new OpenAiRealtimeConfig(server.baseUri(), KEY, Duration.ofSeconds(2), 0), json));
    }

    CallAgent start(VoiceAgentSpec spec, AgentConfig config) {
        return start(spec, config, live != null ? liveProvider() : openAi());
    }

    CallAgent start(VoiceAgentSpec spec, AgentConfig config, ModelProvider provider) {
        return start(spec, config, provider, null, AgentObserver.NONE);
    }

    CallAgent start(
            VoiceAgentSpec spec,
            AgentConfig config,
            ModelProvider provider,
            Duration maxDuration,
            AgentObserver observer) {
        agent = new CallAgent(
                new CallAgentSetup(
                        "wacid.HARNESS",
                        spec,
                        null,
                        provider,
                        leg,
                        (reason, detail) -> ends.add(new Ended(reason, detail, System.nanoTime())),
                        null,
                        config,
                        observer,
                        maxDuration),
                json);
        leg.connectCaller(agent);
        agent.start();
        return agent;
    }

    AgentSnapshot snapshot() {
        try {
            return agent.snapshot().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no snapshot", e);
        }
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        leg.close();
        if (server != null) {
            server.close();
        }
        if (live != null) {
            live.close();
        }
    }
}
