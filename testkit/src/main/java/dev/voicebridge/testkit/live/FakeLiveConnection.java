package dev.voicebridge.testkit.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.testkit.realtime.ClientEventRecord;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.testkit.ws.CloseCodes;
import dev.voicebridge.testkit.ws.WsConnection;
import dev.voicebridge.testkit.ws.WsListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One GPT-Live session of the {@link FakeLiveServer}. All protocol state lives on one named thread
 * per connection (the WebSocket callback only hands the text over); a fixed-rate 20 ms tick on that
 * thread paces the output stream.
 */
public final class FakeLiveConnection implements WsListener {
    private final FakeLiveServer server;
    private final ObjectMapper json;
    private final int index;
    private final FakeLiveServer.Admission admission;
    private final ScheduledExecutorService thread;
    private final LiveServerEvents events;
    private final LiveVoice voice = new LiveVoice();
    private final LiveEar ear;
    private final Set<String> clientDelegations = new HashSet<>();
    private volatile WsConnection connection;
    private ObjectNode resolved;
    private LiveBackend backend;
    private long startedNanos;
    private boolean muted;
    private boolean finished;
    private int delegations;

    FakeLiveConnection(FakeLiveServer server, ObjectMapper json, int index, FakeLiveServer.Admission admission) {
        this.server = server;
        this.json = json;
        this.index = index;
        this.admission = admission;
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("fake-live-" + index).daemon(true).factory());
        this.events = new LiveServerEvents(json, index);
        this.ear = new LiveEar(server.speechThresholdRms(), server.silenceDurationMs());
    }

    int index() {
        return index;
    }

    @Override
    public void onOpen(WsConnection c) {
        this.connection = c;
        if (admission.code() != null) {
            post(() -> {
                error(admission.type(), admission.code(), admission.message(), admission.param(), null);
                closeSocket(admission.closeCode(), admission.code());
            });
        }
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
        try {
            thread.execute(() -> {
                server.closed(this);
                shutdown();
            });
        } catch (RejectedExecutionException stopped) {
            server.closed(this);
        }
    }

    void shutdown() {
        thread.shutdownNow();
    }

    void post(Runnable r) {
        try {
            thread.execute(r);
        } catch (RejectedExecutionException closed) {
            // connection gone
        }
    }

    void drop() {
        post(() -> closeSocket(CloseCodes.INTERNAL_ERROR, "dropped by test"));
    }

    private void handle(String text) {
        JsonNode n;
        try {
            n = json.readTree(text);
        } catch (IOException e) {
            error("invalid_request_error", "invalid_json", "The server could not parse the JSON body.", null, null);
            return;
        }
        String type = n.path("type").asText("");
        server.record(new ClientEventRecord(index, type, n, System.nanoTime()));
        if (finished) {
            return;
        }
        if (resolved == null && !"session.start".equals(type)) {
            // the service's own code is not documented; this one is the fake's
            error(
                    "invalid_request_error",
                    "session_not_started",
                    "Send session.start and wait for session.started before other commands.",
                    null,
                    n);
            return;
        }
        switch (type) {
            case "session.start" -> start(n);
            case "session.input_audio.append" -> append(n);
            case "session.input_audio.mute", "session.input_audio.unmute" -> {
                muted = type.endsWith(".mute");
                send(events.answer(muted ? "session.input_audio.muted" : "session.input_audio.unmuted", n));
            }
            case "session.instructions.append", "session.thinking.append", "session.commentary.append" ->
                appendContext(type, n);
            case "response.item.create" -> queueItem(n);
            case "response.create" -> continueResponse(n);
            case "session.update" -> update(n);
            case "session.close" -> finish("close_requested");
            default ->
                error(
                        "invalid_request_error",
                        "invalid_value",
                        "Invalid value: '" + type + "'. The fake GPT-Live service does not simulate this event.",
                        "type",
                        n);
        }
    }

    private void start(JsonNode n) {
        if (server.ignoringStarts()) {
            return;
        }
        if (resolved != null) {
            error("invalid_request_error", "session_already_started", "This session has already started.", null, n);
            return;
        }
        var problem = new LiveSessionValidator().check(n);
        if (problem.isPresent()) {
            var p = problem.get();
            error("invalid_request_error", p.code(), p.message(), p.param(), n);
            return;
        }
        resolved = LiveSessionValidator.resolve(
                json,
                n.path("session"),
                "sess_live_" + index,
                System.currentTimeMillis() / 1000 + server.sessionLimit().toSeconds());
        var delegation = resolved.path("delegation");
        if ("responses".equals(delegation.path("type").asText())) {
            backend = new LiveBackend(
                    json, index, delegation.path("responses").path("model").asText());
        }
        var started = events.answer("session.started", n);
        started.set("session", resolved);
        send(started);
        startedNanos = System.nanoTime();
        thread.scheduleAtFixedRate(this::tick, LiveVoice.FRAME_MS, LiveVoice.FRAME_MS, TimeUnit.MILLISECONDS);
        long usage = Math.max(20, server.usageEvery().toMillis());
        thread.scheduleAtFixedRate(() -> send(events.usage(seconds())), usage, usage, TimeUnit.MILLISECONDS);
        thread.schedule(() -> finish("expired"), server.sessionLimit().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void update(JsonNode n) {
        var d = n.path("session").path("delegation");
        if (backend == null || !"responses".equals(d.path("type").asText())) {
            error(
                    "invalid_request_error",
                    "invalid_value",
                    "Only the Responses delegation settings of a Responses-delegated session can change.",
                    "session.delegation",
                    n);
            return;
        }
        ((ObjectNode) resolved.path("delegation").path("responses")).setAll((ObjectNode) d.path("responses"));
        var updated = events.answer("session.updated", n);
        updated.set("session", resolved);
        send(updated);
    }

    private void tick() {
        if (finished) {
            return;
        }
        var t = voice.tick();
        var bytes = ByteBuffer.allocate(t.pcm().length * 2).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(t.pcm());
        sendAudio(events.audio(Base64.getEncoder().encodeToString(bytes.array())), t.speech());
        for (var f : t.fragments()) {
            send(events.transcript("session.output_transcript.delta", f.text(), f.startMs(), f.endMs()));
        }
    }

    private void append(JsonNode n) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(n.path("audio").asText(""));
        } catch (IllegalArgumentException e) {
            error(
                    "invalid_request_error",
                    "invalid_value",
                    "Invalid 'audio'. Expected base64-encoded audio bytes.",
                    "audio",
                    n);
            return;
        }
        if (muted) {
            return;
        }
        var pcm = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(pcm);
        for (var heard : ear.hear(pcm, voice.nowMs(), server.callerTranscript())) {
            switch (heard) {
                case LiveEar.Started s -> {
                    // model-controlled barge-in: the caller talks, the model falls silent on its own
                    long spoken = voice.stop();
                    if (spoken >= 0) {
                        server.stopped(new FakeLiveServer.ModelStop(index, voice.nowMs(), System.nanoTime(), spoken));
                    }
                }
                case LiveEar.Words w ->
                    send(events.transcript("session.input_transcript.delta", w.text(), w.startMs(), w.endMs()));
                case LiveEar.Stopped s -> answer(s.spoken());
            }
        }
    }

    private void answer(short[] spoken) {
        server.utteranceHeard(spoken);
        var call = server.takeScheduledCall();
        if (call != null) {
            delegate(call);
        } else {
            say(server.responseAudio(), spoken);
        }
    }

    private void appendContext(String type, JsonNode n) {
        JsonNode id = n.path("delegation_id");
        if (!n.path("content").isTextual() || id.isMissingNode()) {
            error(
                    "invalid_request_error",
                    "missing_required_parameter",
                    "Missing required parameter: '" + (id.isMissingNode() ? "delegation_id" : "content") + "'.",
                    id.isMissingNode() ? "delegation_id" : "content",
                    n);
            return;
        }
        if (!id.isNull() && (backend != null || !clientDelegations.contains(id.asText()))) {
            error(
                    "invalid_request_error",
                    "invalid_value",
                    "Invalid 'delegation_id': '" + id.asText() + "' is not an open client delegation.",
                    "delegation_id",
                    n);
            return;
        }
        long now = voice.nowMs();
        send(events.answer(type + "ed", n).put("start_ms", now).put("end_ms", now));
        if (type.equals("session.commentary.append")) {
            boolean result = !id.isNull() && clientDelegations.remove(id.asText());
            say(result ? server.toolResultAudio() : server.commentaryAudio(), new short[0]);
        }
    }

    /** The model hands the caller's request to its backend: Responses (a function call) or the client. */
    void delegate(FakeLiveServer.Call call) {
        String id = "dlg_" + index + "_" + (++delegations);
        if (backend == null) {
            clientDelegations.add(id);
            send(events.delegationCreated(id, "client", null, voice.nowMs()));
            return;
        }
        send(events.delegationCreated(id, "responses", backend.nextResponseId(), voice.nowMs()));
        for (var inner : backend.functionCall(id, call.name(), call.arguments())) {
            send(events.wrapped(id, inner));
        }
    }

    private void queueItem(JsonNode n) {
        if (backend == null) {
            error(
                    "invalid_request_error",
                    "invalid_request",
                    "response.item.create requires Responses delegation.",
                    null,
                    n);
            return;
        }
        var outcome = backend.queue(n.path("item"));
        if (outcome.errorCode() != null) {
            error("invalid_request_error", outcome.errorCode(), outcome.errorMessage(), "item", n);
            return;
        }
        server.toolOutput(new FakeLiveServer.ToolOutput(
                index,
                n.path("item").path("call_id").asText(),
                n.path("item").path("output").asText()));
    }

    private void continueResponse(JsonNode n) {
        if (backend == null) {
            error(
                    "invalid_request_error",
                    "invalid_request",
                    "response.create requires Responses delegation.",
                    null,
                    n);
            return;
        }
        var outcome = backend.create();
        if (outcome.errorCode() != null) {
            error("invalid_request_error", outcome.errorCode(), outcome.errorMessage(), null, n);
            return;
        }
        for (var inner : outcome.events()) {
            send(events.wrapped(outcome.delegationId(), inner));
        }
        say(server.toolResultAudio(), new short[0]);
    }

    private void say(ResponseAudio audio, short[] echo) {
        switch (audio) {
            case ResponseAudio.Tone t -> voice.speak(ResponseAudio.render(t), ResponseAudio.transcriptOf(t));
            case ResponseAudio.Samples s -> voice.speak(s.pcm(), s.transcript());
            case ResponseAudio.Echo e -> voice.speak(echo, "echo " + echo.length * 1000 / LiveVoice.RATE + " ms");
        }
    }

    /** Ends the session: {@code session.closed} with the reason and final usage, then a normal close. */
    void finish(String reason) {
        if (finished || resolved == null) {
            return;
        }
        finished = true;
        voice.stop();
        send(events.closed(reason, resolved, seconds()));
        closeSocket(CloseCodes.NORMAL, reason);
    }

    /** Cumulative session seconds: every second since {@code session.started} counts, silence too. */
    private double seconds() {
        return Math.round((System.nanoTime() - startedNanos) / 1_000_000.0) / 1000.0;
    }

    void error(String type, String code, String message, String param, JsonNode command) {
        send(events.error(type, code, message, param, command));
    }

    private void closeSocket(int code, String reason) {
        var c = connection;
        if (c != null) {
            c.close(code, reason);
        }
    }

    private void sendAudio(ObjectNode event, boolean speech) {
        if (write(event)) {
            server.frameSent(speech);
        }
    }

    private void send(ObjectNode event) {
        if (write(event)) {
            server.sent(index, event);
        }
    }

    private boolean write(ObjectNode event) {
        var c = connection;
        if (c == null || !c.isOpen()) {
            return false;
        }
        try {
            c.sendText(event.toString());
            return true;
        } catch (IOException e) {
            return false; // the client went away; onClose cleans up
        }
    }
}
