package dev.voicebridge.testkit.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.testkit.ws.CloseCodes;
import dev.voicebridge.testkit.ws.WsConnection;
import dev.voicebridge.testkit.ws.WsListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection to the {@link FakeRealtimeServer}: a GA realtime session. All protocol
 * state is confined to the connection's {@link SerialExecutor} (its tasks run one at a time on the
 * server's shared virtual threads); the WebSocket callback only hands the text over, and the
 * server's one pacing thread hands over each response's next delta when it is due.
 *
 * <p>On a WebRTC call ({@link RealtimeCall}) the session lives from the call's creation to its
 * hang-up, and its WebSocket is the sideband ({@link #sideband()}), which may come and go. The
 * audio then takes the call's media instead of events: the model hears the caller through the
 * call's phone ({@link #heard}) and speaks through it ({@link CallVoice}, in real time, while the
 * response is generated as fast as over a WebSocket); {@code input_audio_buffer.append} is an
 * error, no {@code response.output_audio.delta} is sent, and {@code output_audio_buffer.started},
 * {@code .stopped} and {@code .cleared} tell when the audio went out, ended or was cut (barge-in,
 * {@code response.cancel}, {@code output_audio_buffer.clear}).
 */
public final class FakeRealtimeConnection implements WsListener {
    static final int RATE = 24_000;

    private final FakeRealtimeServer server;
    private final ObjectMapper json;
    private final int index;
    private final String model;
    private final FakeRealtimeServer.Admission admission;
    /** The WebRTC call whose session this is; null for a WebSocket session. */
    private final RealtimeCall call;

    private final SerialExecutor thread;
    private final CallerInput callerInput;
    private final UsageMeter usage;
    private final ServerEvents events;
    private final GaSessionValidator validator = new GaSessionValidator();
    private final Map<String, Integer> generatedMillis = new HashMap<>();
    private volatile WsConnection connection;
    private String instructions = "";
    private boolean transcribe;
    private boolean createResponse = true;
    private boolean interruptResponse = true;
    private int seq;
    private int turn;
    /** Written on the connection's executor; read by {@link #onClose} to stop its stream. */
    private volatile Response active;

    private final class Response {
        final String id = "resp_" + index + "_" + (++seq);
        final String itemId = "item_" + index + "_" + seq;
        final RenderedAudio rendered;
        final short[] audio;
        final String transcript;
        final String functionName;
        final String functionArgs;
        int sent;
        int deltas;
        volatile ScheduledFuture<?> task;
        /** On a call: the audio as it goes out over RTP; null without audio or over a WebSocket. */
        CallVoice.Playback playback;

        Response(RenderedAudio rendered, String functionName, String functionArgs) {
            this.rendered = rendered;
            this.audio = rendered.pcm();
            this.transcript = rendered.transcript();
            this.functionName = functionName;
            this.functionArgs = functionArgs;
        }
    }

    FakeRealtimeConnection(
            FakeRealtimeServer server, ObjectMapper json, int index, FakeRealtimeServer.Admission admission) {
        this(server, json, index, admission, null);
    }

    FakeRealtimeConnection(
            FakeRealtimeServer server,
            ObjectMapper json,
            int index,
            FakeRealtimeServer.Admission admission,
            RealtimeCall call) {
        this.server = server;
        this.call = call;
        this.json = json;
        this.index = index;
        this.admission = admission;
        this.model = admission.model();
        this.thread = new SerialExecutor(server.connectionPool());
        this.callerInput = new CallerInput(server.speechThresholdRms());
        this.usage = new UsageMeter(json);
        this.events = new ServerEvents(json, index);
    }

    int index() {
        return index;
    }

    @Override
    public void onOpen(WsConnection c) {
        this.connection = c;
        if (admission.rejectCode() != null) {
            // The service accepts the upgrade, reports why in an error event, then closes.
            post(() -> {
                error(admission.rejectType(), admission.rejectCode(), admission.rejectMessage(), null);
                c.close(admission.closeCode(), admission.rejectCode());
            });
            return;
        }
        post(() -> {
            var created = event("session.created");
            created.putObject("session")
                    .put("type", "realtime")
                    .put("object", "realtime.session")
                    .put("id", "sess_fake_" + index)
                    .put("model", model);
            send(created);
        });
    }

    @Override
    public void onText(String text) {
        post(() -> handle(text));
    }

    /**
     * The client closed: what it sent before its close is still handled, in order, as the service
     * handles it (RFC 6455 delivers every data frame before the close), then the connection stops.
     */
    @Override
    public void onClose(int code, String reason) {
        post(this::stop);
    }

    private void stop() {
        thread.shutdown();
        Response r = active;
        if (r != null && r.task != null) {
            r.task.cancel(false);
        }
        if (call != null) {
            call.voice().cut();
        }
        server.closed(this);
    }

    /** Runs {@code r} on the connection's executor, after what was posted before; dropped once closed. */
    void post(Runnable r) {
        thread.execute(r);
    }

    /** Closes the WebSocket (on a call: the sideband; the call goes on) with 1011. */
    void drop() {
        post(() -> {
            var c = connection;
            if (c != null) {
                c.close(CloseCodes.INTERNAL_ERROR, "dropped by test");
            }
        });
    }

    // ---- on a WebRTC call

    /**
     * The session's configuration from the call's creating request ({@code session} part),
     * applied as a {@code session.update} would be, without an answer: no sideband yet.
     */
    void configure(JsonNode session) {
        post(() -> applySession(session));
    }

    /**
     * A listener for one sideband WebSocket of the call: it joins the session (a newer sideband
     * replaces an open one, which is closed with 1000), gets {@code session.created}, then every
     * event; its close leaves the call going.
     */
    WsListener sideband() {
        return new WsListener() {
            private volatile WsConnection mine;

            @Override
            public void onOpen(WsConnection c) {
                mine = c;
                call.sidebandOpened();
                if (call.hungUp()) {
                    c.close(CloseCodes.NORMAL, "call ended");
                    return;
                }
                post(() -> attach(c));
            }

            @Override
            public void onText(String text) {
                post(() -> handle(text));
            }

            @Override
            public void onClose(int code, String reason) {
                post(() -> {
                    if (connection == mine) {
                        connection = null;
                    }
                });
            }
        };
    }

    private void attach(WsConnection c) {
        var old = connection;
        connection = c;
        if (old != null && old != c) {
            old.close(CloseCodes.NORMAL, "another sideband joined the call");
        }
        var created = event("session.created");
        ObjectNode session = call.session() != null && call.session().isObject()
                ? ((ObjectNode) call.session()).deepCopy()
                : json.createObjectNode().put("type", "realtime");
        session.put("object", "realtime.session")
                .put("id", "sess_fake_" + index)
                .put("model", model);
        created.set("session", session);
        send(created);
    }

    /** The call's phone heard a packet of the caller (decoded, 24 kHz): the receive thread. */
    void heard(short[] pcm, long nanoTime) {
        post(() -> {
            if (server.recording()) {
                call.keepHeard(pcm);
            }
            hear(pcm, nanoTime);
        });
    }

    /** The call was hung up: the sideband is closed (1000) and the session ends. */
    void hangUp() {
        post(() -> {
            var c = connection;
            if (c != null) {
                c.close(CloseCodes.NORMAL, "call ended");
            }
            stop();
        });
    }

    /** The response's audio went out, ended, or was cut: the client is told once each, in order. */
    private final CallVoice.Listener voiceEvents = new CallVoice.Listener() {
        @Override
        public void started(CallVoice.Playback p) {
            post(() -> announce(p));
        }

        @Override
        public void sent(CallVoice.Playback p, int offset, long nanoTime) {
            server.observer().audioSent(index, p.itemId, offset, nanoTime);
        }

        @Override
        public void stopped(CallVoice.Playback p) {
            post(() -> {
                announce(p);
                send(event("output_audio_buffer.stopped").put("response_id", p.responseId));
            });
        }
    };

    private void announce(CallVoice.Playback p) {
        if (!p.announced && p.played > 0) {
            p.announced = true;
            send(event("output_audio_buffer.started").put("response_id", p.responseId));
        }
    }

    /** The session cut {@code p} short (it took it out of the voice): the item keeps what was heard. */
    private void cleared(CallVoice.Playback p) {
        announce(p);
        generatedMillis.put(p.itemId, p.playedMillis());
        send(event("output_audio_buffer.cleared").put("response_id", p.responseId));
    }

    /** Stops whatever response audio is playing; false when nothing was. */
    private boolean cutPlayback() {
        var p = call.voice().cut();
        if (p != null) {
            cleared(p);
        }
        return p != null;
    }

    private void handle(String text) {
        JsonNode n;
        try {
            n = json.readTree(text);
        } catch (IOException e) {
            error("invalid_request_error", "invalid_json", "The server could not parse the JSON body.", null);
            return;
        }
        String type = n.path("type").asText("");
        if (server.recording()) {
            server.record(new ClientEventRecord(index, type, n, System.nanoTime()));
        }
        switch (type) {
            case "session.update" -> sessionUpdate(n);
            case "input_audio_buffer.append" -> {
                if (call == null) {
                    append(n.path("audio").asText(""));
                } else {
                    error(
                            "invalid_request_error",
                            "invalid_value",
                            "input_audio_buffer.append is not supported on a WebRTC call's sideband: the model"
                                    + " hears the caller through the call's media.",
                            "type");
                }
            }
            case "output_audio_buffer.clear" -> {
                if (call == null) {
                    unknownType(type);
                } else {
                    // WebRTC only: stops the audio going out (a response.cancel stops its generation)
                    if (!cutPlayback()) {
                        send(event("output_audio_buffer.cleared"));
                    }
                }
            }
            case "response.create" -> responseCreate(n);
            case "response.cancel" -> {
                if (active == null) {
                    error(
                            "invalid_request_error",
                            "response_cancel_not_active",
                            "Cancellation failed: no active response found",
                            null);
                } else {
                    finish(active, "cancelled");
                }
            }
            case "conversation.item.truncate" -> truncate(n);
            case "conversation.item.create" -> {
                var created = event("conversation.item.created");
                created.set("item", n.path("item"));
                send(created);
            }
            case "input_audio_buffer.commit", "input_audio_buffer.clear" -> {
                // manual turns: accepted, not simulated
            }
            default -> unknownType(type);
        }
    }

    private void unknownType(String type) {
        error(
                "invalid_request_error",
                "invalid_value",
                "Invalid value: '" + type + "'. Supported values are: 'session.update', "
                        + "'input_audio_buffer.append', 'input_audio_buffer.commit', 'input_audio_buffer.clear', "
                        + "'conversation.item.create', 'conversation.item.truncate', 'conversation.item.delete', "
                        + "'conversation.item.retrieve', 'response.create', 'response.cancel', and "
                        + "'output_audio_buffer.clear'.",
                "type");
    }

    private void sessionUpdate(JsonNode n) {
        var problem = validator.check(n);
        if (problem.isPresent()) {
            var p = problem.get();
            error("invalid_request_error", p.code(), p.message(), p.param());
            return;
        }
        var s = n.path("session");
        applySession(s);
        var updated = event("session.updated");
        ObjectNode echoed = s.deepCopy();
        echoed.put("id", "sess_fake_" + index).put("object", "realtime.session").put("model", model);
        updated.set("session", echoed);
        send(updated);
    }

    private void applySession(JsonNode s) {
        if (s.has("instructions")) {
            instructions = s.path("instructions").asText("");
            server.observer().sessionUpdated(index, instructions);
        }
        var input = s.path("audio").path("input");
        if (input.has("transcription")) {
            transcribe = input.path("transcription").isObject();
        }
        var td = input.path("turn_detection");
        if (td.isObject()) {
            createResponse = td.path("create_response").asBoolean(true);
            interruptResponse = td.path("interrupt_response").asBoolean(true);
            callerInput.silenceDurationMs(td.path("silence_duration_ms").asInt(500));
        }
    }

    private void append(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            error(
                    "invalid_request_error",
                    "invalid_value",
                    "Invalid 'audio'. Expected base64-encoded audio bytes.",
                    "audio");
            return;
        }
        var pcm = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(pcm);
        hear(pcm, System.nanoTime());
    }

    /** Caller audio reached the model: appended, or on a call received by its phone. */
    private void hear(short[] pcm, long nanoTime) {
        server.observer().appended(index, pcm, nanoTime);
        for (var edge : callerInput.append(pcm)) {
            switch (edge) {
                case CallerInput.Started s -> speechStarted(s.audioStartMs());
                case CallerInput.Stopped s -> speechStopped(s.audioEndMs(), s.spoken());
            }
        }
    }

    private void speechStarted(long startMs) {
        var e = event("input_audio_buffer.speech_started")
                .put("audio_start_ms", startMs)
                .put("item_id", "item_in_" + index + "_" + (++turn));
        send(e);
        if (interruptResponse) {
            if (call != null) {
                cutPlayback(); // over WebRTC the service truncates its own audio
            }
            if (active != null) {
                finish(active, "cancelled");
            }
        }
    }

    private void speechStopped(long endMs, short[] spoken) {
        String itemId = "item_in_" + index + "_" + turn;
        send(event("input_audio_buffer.speech_stopped")
                .put("audio_end_ms", endMs)
                .put("item_id", itemId));
        send(event("input_audio_buffer.committed").put("item_id", itemId));
        server.utteranceHeard(spoken);
        if (transcribe) {
            var done = event("conversation.item.input_audio_transcription.completed")
                    .put("item_id", itemId)
                    .put("content_index", 0)
                    .put("transcript", server.callerTranscript());
            done.putObject("usage").put("type", "duration").put("seconds", spoken.length / (double) RATE);
            send(done);
        }
        if (createResponse) {
            start(server.responseAudio(), spoken, null, null);
        }
    }

    private void responseCreate(JsonNode n) {
        server.observer().responseRequested(index, System.nanoTime());
        if (active != null) {
            error(
                    "invalid_request_error",
                    "conversation_already_has_active_response",
                    "Conversation already has an active response in progress: " + active.id
                            + ". Wait until the response is finished before creating a new one.",
                    null);
            return;
        }
        var call = server.takeScheduledFunctionCall();
        boolean greeting = n.path("response").path("instructions").isTextual();
        start(
                greeting ? server.greetingAudio() : server.responseAudio(),
                new short[0],
                call == null ? null : call.name(),
                call == null ? null : call.arguments());
    }

    /** Starts a response now (also used by the server's commands). */
    void start(ResponseAudio audio, short[] echo, String functionName, String functionArgs) {
        if (active != null) {
            finish(active, "cancelled");
        }
        var r = new Response(server.rendered(audio, echo), functionName, functionArgs);
        short[] pcm = r.audio;
        active = r;
        var created = event("response.created");
        created.putObject("response")
                .put("object", "realtime.response")
                .put("id", r.id)
                .put("status", "in_progress");
        send(created);
        if (pcm.length > 0) {
            var added =
                    event("response.output_item.added").put("response_id", r.id).put("output_index", 0);
            added.putObject("item").put("id", r.itemId).put("type", "message").put("role", "assistant");
            send(added);
            generatedMillis.put(r.itemId, 0);
            if (call != null) {
                r.playback = new CallVoice.Playback(
                        r.id,
                        r.itemId,
                        pcm,
                        audio instanceof ResponseAudio.Echo ? null : server.encoded(r.rendered),
                        voiceEvents);
                var cutShort = call.voice().play(r.playback);
                if (cutShort != null) {
                    cleared(cutShort); // a new response's audio replaces what still played
                }
            }
        }
        long tick = server.streamTickMillis();
        // The server's one pacing thread keeps each response's own 20 ms phase and hands the
        // delta to this connection's executor; the first goes out now.
        r.task = server.pacer().scheduleAtFixedRate(() -> due(r), 0, tick, TimeUnit.MILLISECONDS);
    }

    /** The pacing thread: response {@code r}'s next delta is due. */
    private void due(Response r) {
        if (thread.isShutdown()) {
            ScheduledFuture<?> task = r.task;
            if (task != null) {
                task.cancel(false);
            }
            return;
        }
        post(() -> stream(r));
    }

    private void stream(Response r) {
        if (active != r) {
            return;
        }
        if (r.sent < r.audio.length) {
            int n = r.rendered.samples(r.deltas);
            String base64 = r.rendered.deltas()[r.deltas++];
            if (r.sent == 0) {
                send(event("response.output_audio_transcript.delta")
                        .put("response_id", r.id)
                        .put("item_id", r.itemId)
                        .put("delta", r.transcript));
            }
            int offset = r.sent;
            r.sent += n;
            generatedMillis.put(r.itemId, (int) ((long) r.sent * 1000 / RATE));
            if (r.playback != null) {
                r.playback.generated = r.sent; // the call's voice may play this much now
                return;
            }
            if (open()) {
                if (server.recording()) {
                    server.sent(index, events.audioDelta(r.id, r.itemId, base64));
                }
                sendText(events.audioDeltaText(r.id, r.itemId, base64));
            }
            server.observer().audioSent(index, r.itemId, offset, System.nanoTime());
            return;
        }
        if (r.audio.length > 0) {
            events.audioDone(r.id, r.itemId, r.transcript).forEach(this::send);
        }
        if (r.functionName != null) {
            events.functionCall(r.id, r.itemId + "_fc", r.functionName, r.functionArgs)
                    .forEach(this::send);
        }
        finish(r, "completed");
    }

    private void finish(Response r, String status) {
        r.task.cancel(false);
        active = null;
        if ("cancelled".equals(status) && r.playback != null && call.voice().cut(r.playback)) {
            cleared(r.playback);
        }
        if ("cancelled".equals(status) && r.audio.length > 0) {
            // like the service: an interrupted item's audio and transcript parts are closed out first
            events.audioDone(r.id, r.itemId, r.transcript).forEach(this::send);
        }
        var done = event("response.done");
        var resp = done.putObject("response")
                .put("object", "realtime.response")
                .put("id", r.id)
                .put("status", status);
        resp.set(
                "usage",
                usage.next(callerInput.inputSamples(), instructions, r.sent, r.transcript, r.functionName != null));
        send(done);
        server.responseDone(resp);
    }

    private void truncate(JsonNode n) {
        String itemId = n.path("item_id").asText(null);
        long endMs = n.path("audio_end_ms").asLong(-1);
        Integer generated = itemId == null ? null : generatedMillis.get(itemId);
        if (generated == null) {
            error("invalid_request_error", "invalid_value", "Item with item_id '" + itemId + "' not found.", "item_id");
        } else if (n.path("content_index").asInt(-1) != 0) {
            error("invalid_request_error", "invalid_value", "Invalid 'content_index': must be 0.", "content_index");
        } else if (endMs < 0 || endMs > generated) {
            error(
                    "invalid_request_error",
                    "invalid_value",
                    "Audio content of " + generated + "ms is already shorter than " + endMs + "ms",
                    "audio_end_ms");
        } else {
            if (active != null && itemId.equals(active.itemId)) {
                finish(active, "cancelled");
            }
            generatedMillis.put(itemId, (int) endMs);
            send(event("conversation.item.truncated")
                    .put("item_id", itemId)
                    .put("content_index", 0)
                    .put("audio_end_ms", endMs));
        }
    }

    void error(String type, String code, String message, String param) {
        send(events.error(type, code, message, param));
    }

    private ObjectNode event(String type) {
        return events.event(type);
    }

    private void send(ObjectNode event) {
        if (!open()) {
            return;
        }
        if (server.recording()) {
            server.sent(index, event);
        }
        sendText(event.toString());
    }

    private boolean open() {
        var c = connection;
        return c != null && c.isOpen();
    }

    private void sendText(String text) {
        try {
            connection.sendText(text);
        } catch (IOException e) {
            // the client went away; onClose cleans up
        }
    }
}
