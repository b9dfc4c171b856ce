package dev.voicebridge.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.api.v1alpha1.AgentOverrides;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What one model session is opened with, whatever the API: the call's model, voice and
 * instructions (overrides applied), the function tools, and, for a session that continues a call
 * in progress (reconnect, rollover), the recent conversation to seed it with. Adapters read their
 * API's own settings (turn detection, noise reduction, backend model) from {@code agent}.
 *
 * @param continuing the call is already under way: the model must not greet again
 * @param history the most recent transcript lines, oldest first (empty for the call's first session)
 */
public record SessionSpec(
        String model,
        String voice,
        String instructions,
        List<Tool> tools,
        boolean continuing,
        List<Line> history,
        VoiceAgentSpec agent) {

    public static final String END_CALL_TOOL = "end_call";
    public static final String DEFAULT_VOICE = "marin";

    public SessionSpec {
        tools = List.copyOf(tools);
        history = List.copyOf(history);
    }

    /** A function the model may call; {@code parameters} is its JSON Schema (null: no arguments). */
    public record Tool(String name, String description, JsonNode parameters) {}

    /** One line of the conversation so far. */
    public record Line(ModelEvent.Role role, String text) {}

    /**
     * A call's first session: the call's overrides win, then the agent's settings, then the API's
     * defaults (its default model, the marin voice, no instructions); every declared tool.
     */
    public static SessionSpec of(VoiceAgentSpec agent, AgentOverrides overrides) {
        var o = overrides == null ? new AgentOverrides() : overrides;
        String defaultModel = ModelApis.byName(agent.getApi())
                .orElseGet(() -> ModelApis.byName(ModelApis.REALTIME).orElseThrow())
                .defaultModel();
        var tools = new ArrayList<Tool>();
        if (agent.getTools() != null) {
            for (AgentTool t : agent.getTools()) {
                tools.add(new Tool(t.getName(), t.getDescription(), t.getParameters()));
            }
        }
        return new SessionSpec(
                firstNonBlank(o.getModel(), agent.getModel(), defaultModel),
                firstNonBlank(o.getVoice(), agent.getVoice(), DEFAULT_VOICE),
                firstNonBlank(o.getInstructions(), agent.getInstructions(), ""),
                tools,
                false,
                List.of(),
                agent);
    }

    private static String firstNonBlank(String... values) {
        for (var v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /** The same session as the call's first: not continuing, no history. */
    public SessionSpec first() {
        return new SessionSpec(model, voice, instructions, tools, false, List.of(), agent);
    }

    /** The same session, continuing the call with this history. */
    public SessionSpec continuing(List<Line> recent) {
        return new SessionSpec(model, voice, instructions, tools, true, recent, agent);
    }
}
