package dev.voicebridge.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.ToolType;
import dev.voicebridge.worker.realtime.ClientEvent;
import dev.voicebridge.worker.realtime.RealtimeEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The model's calls of VoiceAgent HTTP tools, on the agent's owner thread. Results come back as
 * {@code function_call_output}; the follow-up {@code response.create} waits until no tool is pending
 * and the response that called them is done (the service refuses a second active response).
 */
final class ToolCalls {
    private final CallAgent agent;
    private final SessionKeeper keeper;
    private final HttpToolInvoker invoker;
    private final ObjectMapper json;
    private final List<AgentTool> declared;
    private int pending;
    private boolean unanswered;

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

    void call(RealtimeEvent.FunctionCall f) {
        var tool = declared.stream()
                .filter(t -> t.getName().equals(f.name()) && t.getType() == ToolType.http)
                .findFirst();
        pending++;
        CompletableFuture<String> result = tool.isPresent()
                ? invoker.invoke(tool.get(), f.arguments())
                : CompletableFuture.completedFuture(json.createObjectNode()
                        .put("error", "unknown_tool")
                        .put("message", "no tool named " + f.name())
                        .toString());
        int generation = keeper.generation();
        result.thenAccept(output -> agent.post(() -> {
            pending--;
            if (keeper.generation() != generation) {
                return; // the session that asked is gone; its call id means nothing to the new one
            }
            keeper.send(new ClientEvent.FunctionCallOutput(f.callId(), output));
            unanswered = true;
            maybeRespond();
        }));
    }

    void maybeRespond() {
        if (unanswered && pending == 0 && !agent.responseActive() && !agent.endRequested()) {
            unanswered = false;
            keeper.send(new ClientEvent.CreateResponse(null));
        }
    }

    boolean pending() {
        return pending > 0;
    }

    void close() {
        invoker.close();
    }

    /** The session went away: outputs still to come will be dropped by their generation check. */
    void reset() {
        unanswered = false;
    }
}
