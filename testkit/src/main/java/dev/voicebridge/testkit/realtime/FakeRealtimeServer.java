package dev.voicebridge.testkit.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.testkit.phone.EncodedAudio;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.testkit.phone.SharedPhonePort;
import dev.voicebridge.testkit.ws.CloseCodes;
import dev.voicebridge.testkit.ws.FakeWebSocketHost;
import dev.voicebridge.testkit.ws.PlainHttp;
import dev.voicebridge.testkit.ws.WsListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A fake OpenAI Realtime service (GA protocol) on a real WebSocket server ({@link FakeWebSocketHost}) for
 * tests: {@code ws://127.0.0.1:<port>/v1/realtime?model=…}. It checks the bearer token, answers
 * {@code session.created}/{@code session.updated}, rejects beta-shaped sessions with the real
 * service's error codes, hears the caller by energy, answers with a tone, a WAV or an echo
 * streamed faster than real time, honours cancel and truncate, and records every client event.
 * Commands (errors, function calls, drops, refusals) let tests drive the failure paths.
 *
 * <p>With {@link #acceptCalls} it also takes OpenAI's WebRTC calls on the same port: {@code POST
 * /v1/realtime/calls} (multipart {@code sdp} and {@code session}) is answered by a {@link
 * dev.voicebridge.testkit.phone.SyntheticPhone} as OpenAI's peer ({@code a=setup:active}, the
 * call's id {@code rtc_…} in {@code Location}), {@code POST /v1/realtime/calls/{id}/hangup} ends
 * it, and the sideband WebSocket {@code /v1/realtime?call_id=rtc_…} steers its session with the
 * same events, the audio going over the call's media instead ({@link FakeRealtimeConnection}). A
 * sideband for a call that does not exist (never made, or hung up) is refused at the handshake:
 * HTTP 404 with an error object ({@code call_not_found}); a wrong token or a refusing server gets
 * the error event and close of any session. {@link #calls()} tells what each call got. With
 * {@link #acceptCallsOnOnePort} every call's peer answers from one UDP port, as OpenAI's media
 * servers do, and calls are told apart by the caller's address ({@link SharedPhonePort}).
 *
 * <p>Threads: each connection's protocol runs on its own {@link SerialExecutor} over shared
 * virtual threads, and one pacing thread times every response's deltas, so hundreds of sessions
 * (the capacity benchmark) cost no thread each; a call adds its phone, whose threads the
 * {@link PhoneHost} shares among all its phones.
 */
public final class FakeRealtimeServer implements AutoCloseable {
    public static final String PATH = "/v1/realtime";

    private final String token;
    private final ObjectMapper json = new ObjectMapper();
    private final FakeWebSocketHost host;
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<FakeRealtimeConnection> open = ConcurrentHashMap.newKeySet();
    private final List<ClientEventRecord> received = new CopyOnWriteArrayList<>();
    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
    private final List<JsonNode> responses = new CopyOnWriteArrayList<>();
    private final List<short[]> utterances = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejectedHandshakes = new AtomicInteger();
    private final AtomicReference<FunctionCallCommand> scheduledCall = new AtomicReference<>();
    private volatile boolean refusing;
    private volatile ResponseAudio responseAudio = ResponseAudio.tone(440, 1000);
    private volatile ResponseAudio greetingAudio = ResponseAudio.tone(660, 600);
    private volatile String callerTranscript = "hello from the caller";
    private volatile int streamChunkMillis = 100;
    private volatile int streamTickMillis = 20;
    private volatile double speechThresholdRms = 500;
    private volatile boolean recording = true;
    private volatile Observer observer = new Observer() {};
    private volatile RealtimeCalls calls;
    private final ThreadFactory connectionThreads =
            Thread.ofVirtual().name("fake-realtime-", 0).factory();
    private final Executor connectionPool =
            task -> connectionThreads.newThread(task).start();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("fake-realtime-pacer").daemon(true).factory());
    /** Responses rendered for streaming, by what was asked and the delta size. */
    private final Map<RenderKey, RenderedAudio> renderings = new ConcurrentHashMap<>();

    private record RenderKey(ResponseAudio audio, int chunkSamples) {}

    /** Responses encoded for the calls' phones, by rendering (one key per distinct answer). */
    private final Map<RenderedAudio, EncodedAudio> encodings = new ConcurrentHashMap<>();

    /**
     * Timing hooks for load tests, called with {@link System#nanoTime()} from each connection's
     * executor (one call at a time per connection, calls for different connections concurrently);
     * implementations must be quick. A connection is known by its index; a WebRTC call's session
     * is one connection from its creation on ({@link RealtimeCall#connection()}), whatever
     * sidebands join it, and its {@link #audioSent} comes from the phones' pacing thread.
     */
    public interface Observer {
        /**
         * The session's instructions as the client set them ({@code session.update}, or a call's
         * {@code session} part).
         */
        default void sessionUpdated(int connection, String instructions) {}

        /**
         * Caller audio arrived ({@code input_audio_buffer.append}; on a call, each RTP packet as
         * the call's phone received it), decoded; {@code nanoTime} of its arrival.
         */
        default void appended(int connection, short[] pcm, long nanoTime) {}

        /** The client asked for a response ({@code response.create}). */
        default void responseRequested(int connection, long nanoTime) {}

        /**
         * A chunk of response audio went out ({@code response.output_audio.delta}; on a call,
         * each 20 ms frame handed to the phone's encoder).
         */
        default void audioSent(int connection, String itemId, int offsetSamples, long nanoTime) {}
    }

    record FunctionCallCommand(String name, String arguments) {}

    private FakeRealtimeServer(String token) {
        this.token = token;
        this.host = FakeWebSocketHost.start(PATH, this::admit);
    }

    /** Starts a server on an ephemeral port that accepts {@code Authorization: Bearer <token>}. */
    public static FakeRealtimeServer start(String token) {
        return new FakeRealtimeServer(token);
    }

    /** The base URL to configure in the client (without the model query). */
    public URI baseUri() {
        return host.uri();
    }

    /**
     * Takes OpenAI's WebRTC calls from now on ({@code POST /v1/realtime/calls} on this server's
     * port, see the class comment): each call's peer is a phone of {@code phones} bound to {@code
     * bind} (tests: 127.0.0.1 port 0; the phone advertises the address it is bound to).
     */
    public FakeRealtimeServer acceptCalls(PhoneHost phones, InetSocketAddress bind) {
        return serveCalls(new RealtimeCalls(this, json, token, phones, bind, null));
    }

    /**
     * Takes OpenAI's WebRTC calls like {@link #acceptCalls}, but every call's peer is a phone of
     * {@code phones} on one shared port bound to {@code bind} (tests: 127.0.0.1 port 0), and every
     * answer's candidate names that port: OpenAI's answers name one host candidate port (3478) for
     * all calls, and its ICE-lite media servers tell the calls apart by the remote 5-tuple, which
     * they learn from each call's connectivity checks. Two calls whose checks and media leave from
     * one local address of the client then collide: the address goes to the call that checked
     * last ({@link SharedPhonePort#rebound()}), and the other call's phone hears nothing more of
     * its caller. {@link #callsPort()} is the port; it closes with the server.
     */
    public FakeRealtimeServer acceptCallsOnOnePort(PhoneHost phones, InetSocketAddress bind) {
        SharedPhonePort port;
        try {
            port = phones.openSharedPort(bind);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the calls' port " + bind, e);
        }
        return serveCalls(new RealtimeCalls(this, json, token, phones, null, port));
    }

    private FakeRealtimeServer serveCalls(RealtimeCalls c) {
        calls = c;
        host.serveHttp(RealtimeCalls.PREFIX, c::handle);
        return this;
    }

    /**
     * The one port every call's peer answers from ({@link #acceptCallsOnOnePort}), with what it
     * could not route and how often an address changed calls; null when each call has its own
     * socket, or calls are not taken.
     */
    public SharedPhonePort callsPort() {
        RealtimeCalls c = calls;
        return c == null ? null : c.port();
    }

    /** {@code http://127.0.0.1:<port>/v1/realtime/calls}. */
    public URI callsUri() {
        return URI.create("http://127.0.0.1:" + host.port() + RealtimeCalls.PREFIX);
    }

    /** What the handshake decided about a connection, handed to its endpoint instance. */
    record Admission(String model, String rejectType, String rejectCode, String rejectMessage, int closeCode) {}

    private WsListener admit(FakeWebSocketHost.Upgrade upgrade) {
        String model = upgrade.parameter("model") == null ? "gpt-realtime" : upgrade.parameter("model");
        Admission a;
        if (refusing) {
            a = new Admission(
                    model,
                    "server_error",
                    "service_unavailable",
                    "The server is temporarily unable to take new sessions.",
                    CloseCodes.TRY_AGAIN_LATER);
        } else if (!upgrade.bearer(token)) {
            a = new Admission(
                    model,
                    "invalid_request_error",
                    "invalid_api_key",
                    "Incorrect API key provided.",
                    CloseCodes.POLICY_VIOLATION);
        } else if (upgrade.header("OpenAI-Beta") != null) {
            a = new Admission(
                    model,
                    "invalid_request_error",
                    "beta_api_removed",
                    "The Realtime API beta interface has been removed; remove the OpenAI-Beta header and use the"
                            + " GA interface.",
                    CloseCodes.POLICY_VIOLATION);
        } else {
            a = new Admission(model, null, null, null, 0);
        }
        if (a.rejectCode() != null) {
            rejectedHandshakes.incrementAndGet();
        }
        String callId = upgrade.parameter("call_id");
        if (callId != null && a.rejectCode() == null) {
            RealtimeCalls c = calls;
            RealtimeCall call = c == null ? null : c.live(callId);
            if (call == null) {
                rejectedHandshakes.incrementAndGet();
                throw new PlainHttp.RefusedUpgrade(RealtimeCalls.unknownCall(callId));
            }
            return call.realtime().sideband();
        }
        var c = new FakeRealtimeConnection(this, json, connections.incrementAndGet(), a);
        open.add(c);
        return c;
    }

    // ---- wiring from connections

    boolean recording() {
        return recording;
    }

    boolean refusing() {
        return refusing;
    }

    int nextConnection() {
        return connections.incrementAndGet();
    }

    void opened(FakeRealtimeConnection c) {
        open.add(c);
    }

    Executor connectionPool() {
        return connectionPool;
    }

    ScheduledExecutorService pacer() {
        return pacer;
    }

    /**
     * {@code audio} rendered and cut into deltas of the current chunk size; a tone or samples once
     * per server (a handful of distinct answers per test), an echo (of {@code echo}) every time.
     */
    RenderedAudio rendered(ResponseAudio audio, short[] echo) {
        int chunk = FakeRealtimeConnection.RATE * streamChunkMillis / 1000;
        return switch (audio) {
            case ResponseAudio.Echo e ->
                RenderedAudio.of(echo, "echo " + echo.length * 1000 / FakeRealtimeConnection.RATE + " ms", chunk);
            case null -> RenderedAudio.of(new short[0], "", chunk);
            case ResponseAudio.Tone t ->
                cached(t, chunk, () -> RenderedAudio.of(ResponseAudio.render(t), ResponseAudio.transcriptOf(t), chunk));
            case ResponseAudio.Samples s -> cached(s, chunk, () -> RenderedAudio.of(s.pcm(), s.transcript(), chunk));
        };
    }

    /**
     * {@code audio} encoded once as the calls' phones send it, for every call that plays it: a
     * hundred calls encoding their answers live would cost the generator most of a core.
     */
    EncodedAudio encoded(RenderedAudio audio) {
        if (encodings.size() > 64) {
            encodings.clear();
        }
        return encodings.computeIfAbsent(audio, a -> EncodedAudio.encode(a.pcm(), speechThresholdRms));
    }

    private RenderedAudio cached(ResponseAudio audio, int chunk, java.util.function.Supplier<RenderedAudio> render) {
        if (renderings.size() > 64) {
            renderings.clear(); // a test that answers with ever new audio: no unbounded growth
        }
        return renderings.computeIfAbsent(new RenderKey(audio, chunk), k -> render.get());
    }

    void record(ClientEventRecord r) {
        if (recording) {
            received.add(r);
        }
    }

    Observer observer() {
        return observer;
    }

    void sent(int connection, ObjectNode event) {
        if (!recording) {
            return;
        }
        var copy = event.deepCopy();
        copy.put("_connection", connection);
        if (copy.has("delta")
                && "response.output_audio.delta".equals(copy.path("type").asText())) {
            copy.put("delta", copy.path("delta").asText().length() + " base64 chars");
        }
        sent.add(copy);
    }

    void closed(FakeRealtimeConnection c) {
        open.remove(c);
    }

    void utteranceHeard(short[] pcm) {
        if (recording) {
            utterances.add(pcm);
        }
    }

    void responseDone(JsonNode response) {
        if (recording) {
            responses.add(response);
        }
    }

    FunctionCallCommand takeScheduledFunctionCall() {
        return scheduledCall.getAndSet(null);
    }

    ResponseAudio responseAudio() {
        return responseAudio;
    }

    ResponseAudio greetingAudio() {
        return greetingAudio;
    }

    String callerTranscript() {
        return callerTranscript;
    }

    int streamChunkMillis() {
        return streamChunkMillis;
    }

    int streamTickMillis() {
        return streamTickMillis;
    }

    double speechThresholdRms() {
        return speechThresholdRms;
    }

    // ---- configuration and commands for tests

    public FakeRealtimeServer respondWith(ResponseAudio audio) {
        this.responseAudio = audio;
        return this;
    }

    public FakeRealtimeServer greetWith(ResponseAudio audio) {
        this.greetingAudio = audio;
        return this;
    }

    public FakeRealtimeServer callerTranscript(String text) {
        this.callerTranscript = text;
        return this;
    }

    /** Streams {@code chunkMillis} of audio every {@code tickMillis} (default 100 per 20: 5× real time). */
    public FakeRealtimeServer streaming(int chunkMillis, int tickMillis) {
        this.streamChunkMillis = chunkMillis;
        this.streamTickMillis = tickMillis;
        return this;
    }

    /**
     * Whether client events, server events, utterances and responses are kept for the
     * observation methods (default true). A load test with hundreds of sessions turns it off so
     * memory stays flat, and uses an {@link #observe Observer} instead.
     */
    public FakeRealtimeServer recording(boolean value) {
        this.recording = value;
        return this;
    }

    public FakeRealtimeServer observe(Observer value) {
        this.observer = value;
        return this;
    }

    public FakeRealtimeServer speechThreshold(double rms) {
        this.speechThresholdRms = rms;
        return this;
    }

    /** Makes the next {@code response.create} end with a function call after its audio. */
    public void callFunctionOnNextResponse(String name, String argumentsJson) {
        scheduledCall.set(new FunctionCallCommand(name, argumentsJson));
    }

    /** Starts a response on the newest connection now: {@code audio} (nullable), then the function call. */
    public void emitFunctionCall(String name, String argumentsJson, ResponseAudio audio) {
        latest().post(() -> latest().start(audio, new short[0], name, argumentsJson));
    }

    public void emitError(String type, String code, String message) {
        var c = latest();
        c.post(() -> c.error(type, code, message, null));
    }

    /**
     * Closes every open connection from the server side (code 1011), like a network drop; on a
     * WebRTC call that is its sideband, and the call goes on.
     */
    public void dropConnections() {
        open.forEach(FakeRealtimeConnection::drop);
    }

    /** While set, new sessions are refused: an error event, then close 1013 (try again later). */
    public void refuseConnections(boolean refuse) {
        this.refusing = refuse;
    }

    private FakeRealtimeConnection latest() {
        return open.stream()
                .max((a, b) -> Integer.compare(a.index(), b.index()))
                .orElseThrow(() -> new IllegalStateException("no open realtime connection"));
    }

    // ---- observations

    public List<ClientEventRecord> received() {
        return List.copyOf(received);
    }

    public List<ClientEventRecord> received(String type) {
        return received.stream().filter(r -> r.type().equals(type)).collect(Collectors.toList());
    }

    /** Server events sent, audio payloads abbreviated, each tagged with {@code _connection}. */
    public List<JsonNode> sent() {
        return List.copyOf(sent);
    }

    public List<JsonNode> sent(String type) {
        return sent.stream().filter(n -> n.path("type").asText().equals(type)).collect(Collectors.toList());
    }

    /** Every {@code response.done}'s response object (status, usage). */
    public List<JsonNode> responses() {
        return List.copyOf(responses);
    }

    public List<short[]> utterances() {
        return List.copyOf(utterances);
    }

    /**
     * The WebRTC calls: every one made while recording, and those going on (with {@code
     * recording(false)} only those, so a load test's memory stays flat).
     */
    public List<RealtimeCall> calls() {
        RealtimeCalls c = calls;
        return c == null ? List.of() : c.calls();
    }

    public Optional<RealtimeCall> call(String id) {
        return calls().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Sessions so far: WebSocket connections and WebRTC calls (a call's sidebands not counted). */
    public int connectionCount() {
        return connections.get();
    }

    public int openConnections() {
        return open.size();
    }

    public int rejectedHandshakes() {
        return rejectedHandshakes.get();
    }

    /** Stops the server: every call ends (its phone closes), every connection drops. */
    @Override
    public void close() {
        RealtimeCalls c = calls;
        if (c != null) {
            c.close();
        }
        host.close();
        pacer.shutdownNow();
    }
}
