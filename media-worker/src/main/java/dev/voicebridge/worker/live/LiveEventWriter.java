package dev.voicebridge.worker.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.modelsocket.AudioAppendJson;
import java.util.Locale;

/**
 * Renders {@link LiveClientEvent}s as GPT-Live JSON. The session object is strict on the service
 * side (unknown fields are refused), so absent options are omitted rather than sent as null; the
 * append events are the exception: their {@code delegation_id} is required and may be null.
 * Shapes follow the generated Live types of the official SDK (openai-java 4.105.0,
 * {@code com.openai.models.live}), checked in {@code LiveSdkConformanceTest}.
 */
public final class LiveEventWriter {

    private final ObjectMapper json;

    public LiveEventWriter(ObjectMapper json) {
        this.json = json;
    }

    /** The writer of {@code session.input_audio.append}, to keep per connection. */
    public static AudioAppendJson appendAudio() {
        return new AudioAppendJson("session.input_audio.append");
    }

    /** @param eventId our correlation id (echoed as {@code client_event_id}), or null for none */
    public String write(LiveClientEvent event, String eventId) {
        if (event instanceof LiveClientEvent.AppendAudio a && eventId == null) {
            // a connection keeps its own (appendAudio()) for the 50 a second it sends
            return appendAudio().write(a.pcm());
        }
        ObjectNode node =
                switch (event) {
                    case LiveClientEvent.Start s -> start(s.session());
                    case LiveClientEvent.AppendAudio a -> audioTree(a.pcm()); // with an event id
                    case LiveClientEvent.AppendInstructions a ->
                        append("session.instructions.append", a.delegationId(), a.content());
                    case LiveClientEvent.AppendThinking a ->
                        append("session.thinking.append", a.delegationId(), a.content());
                    case LiveClientEvent.AppendCommentary a ->
                        append("session.commentary.append", a.delegationId(), a.content());
                    case LiveClientEvent.FunctionCallOutput f -> {
                        var n = json.createObjectNode().put("type", "response.item.create");
                        n.putObject("item")
                                .put("type", "function_call_output")
                                .put("call_id", f.callId())
                                .put("output", f.output());
                        yield n;
                    }
                    case LiveClientEvent.ContinueResponse c ->
                        json.createObjectNode().put("type", "response.create");
                    case LiveClientEvent.MuteInput m ->
                        json.createObjectNode()
                                .put("type", m.muted() ? "session.input_audio.mute" : "session.input_audio.unmute");
                    case LiveClientEvent.Close c -> json.createObjectNode().put("type", "session.close");
                };
        if (eventId != null) {
            node.put("event_id", eventId);
        }
        return node.toString();
    }

    private ObjectNode audioTree(short[] pcm) {
        try {
            return (ObjectNode) json.readTree(appendAudio().write(pcm));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("our own append event does not parse", e);
        }
    }

    private ObjectNode start(LiveSessionConfig s) {
        var root = json.createObjectNode().put("type", "session.start");
        var session = root.putObject("session").put("model", s.model());
        if (s.instructions() != null && !s.instructions().isBlank()) {
            session.put("instructions", s.instructions());
        }
        var audio = session.putObject("audio");
        audio.putObject("format").put("type", "audio/pcm").put("rate", Pcm.SAMPLE_RATE);
        if (s.voice() != null && !s.voice().isBlank()) {
            audio.putObject("output").put("voice", s.voice());
        }
        switch (s.delegation()) {
            case LiveSessionConfig.Delegation.Client c ->
                session.putObject("delegation").put("type", "client");
            case LiveSessionConfig.Delegation.Responses r -> {
                var responses =
                        session.putObject("delegation").put("type", "responses").putObject("responses");
                responses.put("model", r.model());
                if (r.instructions() != null && !r.instructions().isBlank()) {
                    responses.put("instructions", r.instructions());
                }
                if (!r.tools().isEmpty()) {
                    var tools = responses.putArray("tools");
                    for (var tool : r.tools()) {
                        var t = tools.addObject().put("type", "function").put("name", tool.name());
                        if (tool.description() != null && !tool.description().isBlank()) {
                            t.put("description", tool.description());
                        }
                        if (tool.parameters() != null) {
                            t.set("parameters", tool.parameters());
                        } else {
                            t.putObject("parameters").put("type", "object").putObject("properties");
                        }
                    }
                }
                if (r.toolChoice() != null) {
                    responses.put("tool_choice", r.toolChoice());
                }
            }
        }
        if (!s.history().isEmpty()) {
            var input = session.putArray("input");
            for (var m : s.history()) {
                boolean assistant = m.role() == LiveSessionConfig.HistoryMessage.Role.ASSISTANT;
                var item = input.addObject()
                        .put("type", "message")
                        .put("role", m.role().name().toLowerCase(Locale.ROOT));
                item.putArray("content")
                        .addObject()
                        .put("type", assistant ? "output_text" : "input_text")
                        .put("text", m.text());
            }
        }
        return root;
    }

    private ObjectNode append(String type, String delegationId, String content) {
        var n = json.createObjectNode().put("type", type);
        if (delegationId == null) {
            n.putNull("delegation_id"); // required, and null means general session context
        } else {
            n.put("delegation_id", delegationId);
        }
        return n.put("content", content);
    }
}
