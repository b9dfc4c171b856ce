package dev.voicebridge.testkit.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.testkit.realtime.ClientEventRecord;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.testkit.ws.CloseCodes;
import dev.voicebridge.testkit.ws.FakeWebSocketHost;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fake OpenAI GPT-Live service on a real WebSocket ({@code ws://127.0.0.1:<port>/v1/live/sessions},
 * no query parameters, bearer key). After {@code session.start} it answers {@code session.started}
 * and from then on streams output audio at real-time pace, one 20 ms PCM16 24 kHz frame per
 * {@code session.output_audio.delta}, silence included, for the session's whole life. It hears the
 * caller by energy, answers each utterance (a tone, WAV samples or an echo), and stops talking by
 * itself when the caller speaks over it (model-controlled barge-in; {@link #stops()} records when).
 * Transcript deltas carry {@code start_ms}/{@code end_ms}; tools run through Responses delegation
 * ({@code session.delegation.created}, wrapped {@code response.event}s, the client's
 * {@code response.item.create} + {@code response.create}); {@code session.usage.updated} reports
 * cumulative seconds; {@code session.close} ends with {@code session.closed} and final usage.
 * Commands script errors, drops, refusals and expiry; every client event is recorded.
 */
public final class FakeLiveServer implements AutoCloseable {
    public static final String PATH = "/v1/live/sessions";

    /**
     * The model stopped talking because it heard the caller.
     *
     * @param sessionMs output timeline position of the first silent frame
     * @param nanoTime {@link System#nanoTime()} at the decision; every frame sent after it is silence
     * @param spokenMillis how much of the interrupted utterance had been sent
     */
    public record ModelStop(int connection, long sessionMs, long nanoTime, long spokenMillis) {}

    /** A {@code function_call_output} the client queued with {@code response.item.create}. */
    public record ToolOutput(int connection, String callId, String output) {}

    record Call(String name, String arguments) {}

    private final String token;
    private final ObjectMapper json = new ObjectMapper();
    private final FakeWebSocketHost host;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger rejectedHandshakes = new AtomicInteger();
    private final Set<FakeLiveConnection> open = ConcurrentHashMap.newKeySet();
    private final List<FakeWebSocketHost.Upgrade> upgrades = new CopyOnWriteArrayList<>();
    private final List<ClientEventRecord> received = new CopyOnWriteArrayList<>();
    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
    private final List<short[]> utterances = new CopyOnWriteArrayList<>();
    private final List<ModelStop> stops = new CopyOnWriteArrayList<>();
    private final List<ToolOutput> toolOutputs = new CopyOnWriteArrayList<>();
    private final AtomicLong audioFrames = new AtomicLong();
    private final AtomicLong speechFrames = new AtomicLong();
    private final AtomicReference<Call> scheduledCall = new AtomicReference<>();
    private volatile boolean refusing;
    private volatile boolean ignoringStarts;
    private volatile ResponseAudio responseAudio = ResponseAudio.tone(440, 1000);
    private volatile ResponseAudio commentaryAudio = ResponseAudio.tone(660, 600);
    private volatile ResponseAudio toolResultAudio = ResponseAudio.tone(550, 500);
    private volatile String callerTranscript = "hello from the caller";
    private volatile double speechThresholdRms = 500;
    private volatile int silenceDurationMs = 500;
    private volatile Duration usageEvery = Duration.ofSeconds(1);
    private volatile Duration sessionLimit = Duration.ofMinutes(60);

    private FakeLiveServer(String token) {
        this.token = token;
        this.host = FakeWebSocketHost.start(PATH, this::admit);
    }

    /** Starts a server on an ephemeral port that accepts {@code Authorization: Bearer <token>}. */
    public static FakeLiveServer start(String token) {
        return new FakeLiveServer(token);
    }

    /** The URL to configure in the client. */
    public URI uri() {
        return host.uri();
    }

    /** Why an upgrade is refused (the service accepts the socket, sends {@code error}, then closes). */
    record Admission(String type, String code, String message, String param, int closeCode) {
        static final Admission OK = new Admission(null, null, null, null, 0);
    }

    private FakeLiveConnection admit(FakeWebSocketHost.Upgrade upgrade) {
        upgrades.add(upgrade);
        Admission a;
        if (refusing) {
            a = new Admission(
                    "server_error",
                    "service_unavailable",
                    "The server is temporarily unable to take new sessions.",
                    null,
                    CloseCodes.TRY_AGAIN_LATER);
        } else if (!upgrade.bearer(token)) {
            a = new Admission(
                    "invalid_request_error",
                    "invalid_api_key",
                    "Incorrect API key provided.",
                    null,
                    CloseCodes.POLICY_VIOLATION);
        } else if (!upgrade.parameters().isEmpty()) {
            String name = upgrade.parameters().keySet().iterator().next();
            a = new Admission(
                    "invalid_request_error",
                    "unknown_parameter",
                    "Unknown query parameter: '" + name + "'. Connect without query parameters and put the model in"
                            + " session.start.",
                    name,
                    CloseCodes.POLICY_VIOLATION);
        } else {
            a = Admission.OK;
        }
        if (a.code() != null) {
            rejectedHandshakes.incrementAndGet();
        }
        var c = new FakeLiveConnection(this, json, connections.incrementAndGet(), a);
        open.add(c);
        return c;
    }

    // ---- wiring from connections (their own threads)

    void record(ClientEventRecord r) {
        received.add(r);
    }

    void sent(int connection, ObjectNode event) {
        var copy = event.deepCopy();
        copy.put("_connection", connection);
        sent.add(copy);
    }

    void frameSent(boolean speech) {
        audioFrames.incrementAndGet();
        if (speech) {
            speechFrames.incrementAndGet();
        }
    }

    void closed(FakeLiveConnection c) {
        open.remove(c);
    }

    void utteranceHeard(short[] pcm) {
        utterances.add(pcm);
    }

    void stopped(ModelStop stop) {
        stops.add(stop);
    }

    void toolOutput(ToolOutput output) {
        toolOutputs.add(output);
    }

    boolean ignoringStarts() {
        return ignoringStarts;
    }

    Call takeScheduledCall() {
        return scheduledCall.getAndSet(null);
    }

    ResponseAudio responseAudio() {
        return responseAudio;
    }

    ResponseAudio commentaryAudio() {
        return commentaryAudio;
    }

    ResponseAudio toolResultAudio() {
        return toolResultAudio;
    }

    String callerTranscript() {
        return callerTranscript;
    }

    double speechThresholdRms() {
        return speechThresholdRms;
    }

    int silenceDurationMs() {
        return silenceDurationMs;
    }

    Duration usageEvery() {
        return usageEvery;
    }

    Duration sessionLimit() {
        return sessionLimit;
    }

    // ---- configuration for tests

    /** What the model says after each caller utterance. */
    public FakeLiveServer respondWith(ResponseAudio audio) {
        this.responseAudio = audio;
        return this;
    }

    /** What the model says for {@code session.commentary.append} (how a client asks it to speak first). */
    public FakeLiveServer commentWith(ResponseAudio audio) {
        this.commentaryAudio = audio;
        return this;
    }

    /** What the model says once a delegated tool call has its result. */
    public FakeLiveServer afterToolSay(ResponseAudio audio) {
        this.toolResultAudio = audio;
        return this;
    }

    public FakeLiveServer callerTranscript(String text) {
        this.callerTranscript = text;
        return this;
    }

    /** RMS (PCM16) above which a 20 ms input frame counts as speech; 3 such frames start speech. */
    public FakeLiveServer speechThreshold(double rms) {
        this.speechThresholdRms = rms;
        return this;
    }

    /** Quiet time that ends a caller utterance (default 500 ms). */
    public FakeLiveServer silenceDuration(int millis) {
        this.silenceDurationMs = millis;
        return this;
    }

    /** Period of {@code session.usage.updated} (default 1 s). */
    public FakeLiveServer usageEvery(Duration period) {
        this.usageEvery = period;
        return this;
    }

    /** Session duration after which the session ends with {@code session.closed} reason {@code expired}. */
    public FakeLiveServer sessionLimit(Duration limit) {
        this.sessionLimit = limit;
        return this;
    }

    // ---- commands

    /** The next caller utterance is delegated to the Responses backend, which calls this function. */
    public void callFunctionOnNextUtterance(String name, String argumentsJson) {
        scheduledCall.set(new Call(name, argumentsJson));
    }

    /** Delegates a function call on the newest connection now. */
    public void emitFunctionCall(String name, String argumentsJson) {
        var c = latest();
        c.post(() -> c.delegate(new Call(name, argumentsJson)));
    }

    public void emitError(String type, String code, String message) {
        var c = latest();
        c.post(() -> c.error(type, code, message, null, null));
    }

    /** Ends every open session as the service does at its duration limit ({@code expired}). */
    public void expireSessions() {
        open.forEach(c -> c.post(() -> c.finish("expired")));
    }

    /** Closes every open connection from the server side (code 1011, no {@code session.closed}). */
    public void dropConnections() {
        open.forEach(FakeLiveConnection::drop);
    }

    /** While set, new sessions are refused: an error event, then close 1013 (try again later). */
    public void refuseConnections(boolean refuse) {
        this.refusing = refuse;
    }

    private FakeLiveConnection latest() {
        return open.stream()
                .max(Comparator.comparingInt(FakeLiveConnection::index))
                .orElseThrow(() -> new IllegalStateException("no open GPT-Live connection"));
    }

    /** While set, {@code session.start} is recorded but never answered (a service that hangs). */
    public void ignoreSessionStarts(boolean ignore) {
        this.ignoringStarts = ignore;
    }

    // ---- observations

    public List<ClientEventRecord> received() {
        return List.copyOf(received);
    }

    public List<ClientEventRecord> received(String type) {
        return received.stream().filter(r -> r.type().equals(type)).toList();
    }

    /** Server events sent, except the audio deltas (see {@link #audioFramesSent()}), tagged {@code _connection}. */
    public List<JsonNode> sent() {
        return List.copyOf(sent);
    }

    public List<JsonNode> sent(String type) {
        return sent.stream().filter(n -> n.path("type").asText().equals(type)).toList();
    }

    /** Wrapped Responses events ({@code response.event}) whose inner type is {@code innerType}. */
    public List<JsonNode> wrapped(String innerType) {
        return sent("response.event").stream()
                .filter(n -> n.path("event").path("type").asText().equals(innerType))
                .toList();
    }

    public List<FakeWebSocketHost.Upgrade> upgrades() {
        return List.copyOf(upgrades);
    }

    public List<short[]> utterances() {
        return List.copyOf(utterances);
    }

    public List<ModelStop> stops() {
        return List.copyOf(stops);
    }

    public List<ToolOutput> toolOutputs() {
        return List.copyOf(toolOutputs);
    }

    /** Output frames (20 ms each) sent over all connections, silence included. */
    public long audioFramesSent() {
        return audioFrames.get();
    }

    /** Of those, frames that carried the model's speech. */
    public long speechFramesSent() {
        return speechFrames.get();
    }

    public int connectionCount() {
        return connections.get();
    }

    public int openConnections() {
        return open.size();
    }

    public int rejectedHandshakes() {
        return rejectedHandshakes.get();
    }

    @Override
    public void close() {
        open.forEach(FakeLiveConnection::shutdown);
        host.close();
    }
}
