package dev.voicebridge.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.ToolType;
import dev.voicebridge.worker.model.ModelEvent;
import dev.voicebridge.worker.model.ModelSession;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The model's calls of VoiceAgent HTTP tools, on the agent's owner thread. Each result goes back
 * to the session that asked (the adapter lets the model continue when its protocol allows); a
 * result whose session has since been replaced is dropped: its call id means nothing to the new
 * one.
 */
final class ToolCalls {
    private final CallAgent agent;
    private final SessionKeeper keeper;
    private final HttpToolInvoker invoker;
    private final ObjectMapper json;
    private final List<AgentTool> declared;
    private int pending;

    ToolCalls(
            CallAgent agent,
            SessionKeeper keeper,
            HttpToolInvoker invoker,
            ObjectMapper json,
            List<AgentTool> declared) {
        this.agent = agent;
        this.keeper = keeper;
        this.invoker = invoker;
        this.json = json;
        this.declared = declared == null ? List.of() : List.copyOf(declared);
    }

    void call(ModelSession session, ModelEvent.ToolCall c) {
        var tool = declared.stream()
                .filter(t -> t.getName().equals(c.name()) && t.getType() == ToolType.http)
                .findFirst();
        pending++;
        CompletableFuture<String> result = tool.isPresent()
                ? invoker.invoke(tool.get(), c.arguments())
                : CompletableFuture.completedFuture(json.createObjectNode()
                        .put("error", "unknown_tool")
                        .put("message", "no tool named " + c.name())
                        .toString());
        result.thenAccept(output -> agent.post(() -> {
            pending--;
            if (keeper.current() == session) {
                // while the call is ending, the model must not start talking again
                session.toolResult(c.callId(), output, !agent.ending());
            }
        }));
    }

    boolean pending() {
        return pending > 0;
    }

    void close() {
        invoker.close();
    }
}
