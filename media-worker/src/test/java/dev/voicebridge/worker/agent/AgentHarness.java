package dev.voicebridge.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.InputTranscription;
import dev.voicebridge.api.v1alpha1.ToolType;
import dev.voicebridge.api.v1alpha1.TurnDetection;
import dev.voicebridge.api.v1alpha1.TurnDetectionType;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.testkit.realtime.FakeRealtimeServer;
import dev.voicebridge.worker.model.ModelProvider;
import dev.voicebridge.worker.realtime.OpenAiRealtimeClient;
import dev.voicebridge.worker.realtime.OpenAiRealtimeConfig;
import dev.voicebridge.worker.realtime.RealtimeProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** One call's agent wired to a fake realtime server over a real WebSocket and a fake paced leg. */
final class AgentHarness implements AutoCloseable {
    static final String KEY = "sk-test-voicebridge";

    record Ended(EndReason reason, String detail, long nanoTime) {}

    final ObjectMapper json = new ObjectMapper();
    final FakeRealtimeServer server;
    final FakeCallLeg leg = new FakeCallLeg();
    final List<Ended> ends = new CopyOnWriteArrayList<>();
    CallAgent agent;

    AgentHarness() {
        this(true);
    }

    /** @param withServer false for tests of the embedded agent, which must open no socket */
    AgentHarness(boolean withServer) {
        this.server = withServer ? FakeRealtimeServer.start(KEY) : null;
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
        return start(spec, config, openAi());
    }

    CallAgent start(VoiceAgentSpec spec, AgentConfig config, ModelProvider provider) {
        agent = new CallAgent(
                new CallAgentSetup(
                        "wacid.HARNESS",
                        spec,
                        null,
                        provider,
                        leg,
                        (reason, detail) -> ends.add(new Ended(reason, detail, System.nanoTime())),
                        null,
                        config),
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
    }
}
