package dev.voicebridge.testkit.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebRTC call of a {@link FakeRealtimeServer} that {@link FakeRealtimeServer#acceptCalls
 * accepts calls}: made by {@code POST /v1/realtime/calls}, its media on a {@link SyntheticPhone}
 * that answered the offer as OpenAI's peer does ({@code a=setup:active}), its session steered over
 * the sideband WebSocket ({@code /v1/realtime?call_id=…}). What a test can observe of it.
 */
public final class RealtimeCall {
    /** How much of the caller's audio a call keeps for {@link #heard()} (while the server records). */
    static final int MAX_HEARD_SAMPLES = CallerInput.RATE * 60;

    private final String id;
    private final JsonNode session;
    private final String offer;
    private final String answer;
    private final SyntheticPhone phone;
    private final CallVoice voice;
    private final FakeRealtimeConnection realtime;
    private final AtomicInteger sidebands = new AtomicInteger();
    private final AtomicBoolean hungUp = new AtomicBoolean();
    private final Object heardLock = new Object();
    /** Guarded by {@link #heardLock}. */
    private short[] heard = new short[0];

    private int heardSamples;

    RealtimeCall(
            FakeRealtimeServer server,
            ObjectMapper json,
            int index,
            String id,
            JsonNode session,
            String offer,
            String answer,
            SyntheticPhone phone,
            CallVoice voice) {
        this.id = id;
        this.session = session;
        this.offer = offer;
        this.answer = answer;
        this.phone = phone;
        this.voice = voice;
        String model = session == null ? null : session.path("model").asText(null);
        this.realtime = new FakeRealtimeConnection(
                server,
                json,
                index,
                new FakeRealtimeServer.Admission(model == null ? "gpt-realtime" : model, null, null, null, 0),
                this);
    }

    /** The call's id, {@code rtc_…}, as in the {@code Location} header. */
    public String id() {
        return id;
    }

    /**
     * The session's index: the {@link FakeRealtimeServer.Observer}'s connection, {@code
     * _connection} in {@link FakeRealtimeServer#sent()}.
     */
    public int connection() {
        return realtime.index();
    }

    /** The {@code session} part of the creating request, or null when it had none. */
    public JsonNode session() {
        return session;
    }

    public String offer() {
        return offer;
    }

    public String answer() {
        return answer;
    }

    /** The model's peer: its stats tell what it sent and received. Closed once the call ended. */
    public SyntheticPhone phone() {
        return phone;
    }

    /** Whether the call was hung up ({@code POST …/hangup}) or ended by the server closing. */
    public boolean hungUp() {
        return hungUp.get();
    }

    /** Whether a sideband WebSocket ever joined the call. */
    public boolean sidebandConnected() {
        return sidebands.get() > 0;
    }

    public int sidebandConnections() {
        return sidebands.get();
    }

    /** Whether the model is speaking now: a response's audio is going out over RTP. */
    public boolean speaking() {
        return voice.playing() != null;
    }

    /**
     * What the model heard of the caller, decoded (24 kHz mono PCM16, packets as they arrived,
     * at most a minute); kept only while the server {@link FakeRealtimeServer#recording records}.
     */
    public short[] heard() {
        synchronized (heardLock) {
            return Arrays.copyOf(heard, heardSamples);
        }
    }

    // ---- wiring

    FakeRealtimeConnection realtime() {
        return realtime;
    }

    CallVoice voice() {
        return voice;
    }

    void sidebandOpened() {
        sidebands.incrementAndGet();
    }

    void keepHeard(short[] pcm) {
        synchronized (heardLock) {
            int n = Math.min(pcm.length, MAX_HEARD_SAMPLES - heardSamples);
            if (n <= 0) {
                return;
            }
            if (heardSamples + n > heard.length) {
                heard = Arrays.copyOf(
                        heard,
                        Math.min(MAX_HEARD_SAMPLES, Math.max(heardSamples + n, Math.max(2 * heard.length, 24_000))));
            }
            System.arraycopy(pcm, 0, heard, heardSamples, n);
            heardSamples += n;
        }
    }

    /** Ends the call: the phone stops, the session ends and closes its sideband (1000). True the first time. */
    boolean hangUp() {
        if (!hungUp.compareAndSet(false, true)) {
            return false;
        }
        phone.close();
        realtime.hangUp();
        return true;
    }
}
