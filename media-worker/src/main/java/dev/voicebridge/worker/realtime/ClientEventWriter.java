package dev.voicebridge.worker.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.worker.modelsocket.AudioAppendJson;

/**
 * Renders {@link ClientEvent}s as OpenAI Realtime GA JSON. GA only: {@code session.type} is always
 * "realtime", audio formats are {@code {"type":"audio/pcm","rate":24000}} (none over WebRTC, where
 * the SDP chose Opus), there is no
 * {@code temperature} and no beta header (docs/agent.md, "Realtime API: GA protocol used").
 */
public final class ClientEventWriter {
    static final int RATE = 24_000;

    private final ObjectMapper json;

    public ClientEventWriter(ObjectMapper json) {
        this.json = json;
    }

    /** The writer of {@code input_audio_buffer.append}, to keep per connection. */
    public static AudioAppendJson appendAudio() {
        return new AudioAppendJson("input_audio_buffer.append");
    }

    public String write(ClientEvent event) {
        return switch (event) {
            case ClientEvent.SessionUpdate u -> sessionUpdate(u.session()).toString();
            // a connection keeps its own (appendAudio()) for the 25-50 a second it sends
            case ClientEvent.AppendAudio a -> appendAudio().write(a.pcm());
            case ClientEvent.CreateResponse r -> {
                var node = json.createObjectNode().put("type", "response.create");
                if (r.instructions() != null && !r.instructions().isBlank()) {
                    node.putObject("response").put("instructions", r.instructions());
                }
                yield node.toString();
            }
            case ClientEvent.CancelResponse c ->
                json.createObjectNode().put("type", "response.cancel").toString();
            case ClientEvent.Truncate t ->
                json.createObjectNode()
                        .put("type", "conversation.item.truncate")
                        .put("item_id", t.itemId())
                        .put("content_index", 0)
                        .put("audio_end_ms", t.audioEndMs())
                        .toString();
            case ClientEvent.UserText t -> {
                var node = json.createObjectNode().put("type", "conversation.item.create");
                var item = node.putObject("item").put("type", "message").put("role", "user");
                item.putArray("content").addObject().put("type", "input_text").put("text", t.text());
                yield node.toString();
            }
            case ClientEvent.FunctionCallOutput f -> {
                var node = json.createObjectNode().put("type", "conversation.item.create");
                node.putObject("item")
                        .put("type", "function_call_output")
                        .put("call_id", f.callId())
                        .put("output", f.output());
                yield node.toString();
            }
        };
    }

    ObjectNode sessionUpdate(SessionConfig s) {
        var root = json.createObjectNode().put("type", "session.update");
        var session = root.putObject("session");
        session.put("type", "realtime");
        session.put("model", s.model());
        session.put("instructions", s.instructions());
        session.putArray("output_modalities").add("audio");
        var audio = session.putObject("audio");
        var input = audio.putObject("input");
        if (!s.webRtcAudio()) {
            pcmFormat(input.putObject("format"));
        }
        if (s.noiseReduction() == null) {
            input.putNull("noise_reduction");
        } else {
            input.putObject("noise_reduction").put("type", s.noiseReduction());
        }
        if (s.transcription() == null) {
            input.putNull("transcription");
        } else {
            var t = input.putObject("transcription")
                    .put("model", s.transcription().model());
            putIfPresent(t, "language", s.transcription().language());
            putIfPresent(t, "prompt", s.transcription().prompt());
        }
        var td = s.turnDetection();
        if (td == null) {
            input.putNull("turn_detection");
        } else {
            var t = input.putObject("turn_detection").put("type", td.type());
            if (td.threshold() != null) {
                t.put("threshold", td.threshold());
            }
            if (td.prefixPaddingMs() != null) {
                t.put("prefix_padding_ms", td.prefixPaddingMs());
            }
            if (td.silenceDurationMs() != null) {
                t.put("silence_duration_ms", td.silenceDurationMs());
            }
            if (td.idleTimeoutMs() != null) {
                t.put("idle_timeout_ms", td.idleTimeoutMs());
            }
            putIfPresent(t, "eagerness", td.eagerness());
            t.put("create_response", td.createResponse());
            t.put("interrupt_response", td.interruptResponse());
        }
        var output = audio.putObject("output");
        if (!s.webRtcAudio()) {
            pcmFormat(output.putObject("format"));
        }
        output.put("voice", s.voice());
        if (s.speed() != null) {
            output.put("speed", s.speed());
        }
        var tools = session.putArray("tools");
        for (var tool : s.tools()) {
            var t = tools.addObject().put("type", "function").put("name", tool.name());
            putIfPresent(t, "description", tool.description());
            if (tool.parameters() != null) {
                t.set("parameters", tool.parameters());
            } else {
                t.putObject("parameters").put("type", "object").putObject("properties");
            }
        }
        session.put("tool_choice", "auto");
        return root;
    }

    private static void pcmFormat(ObjectNode format) {
        format.put("type", "audio/pcm").put("rate", RATE);
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }
}
