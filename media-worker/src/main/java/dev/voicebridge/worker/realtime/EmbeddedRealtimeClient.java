package dev.voicebridge.worker.realtime;

import dev.voicebridge.media.audio.EnergyVad;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.model.TokenUsage;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The embedded local agent, used when no API key is configured: no network. It hears the caller
 * with an {@link EnergyVad} and speaks each utterance back (a short beep, then the echo), reporting
 * the same events a realtime model would, so a call works end to end on a bare machine. Each
 * connection runs on its own named thread, like a remote peer: {@code send} never calls back
 * synchronously.
 */
public final class EmbeddedRealtimeClient implements RealtimeClient {
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    private final EmbeddedAgentConfig config;

    public EmbeddedRealtimeClient(EmbeddedAgentConfig config) {
        this.config = config;
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public CompletableFuture<RealtimeConnection> connect(String model, Consumer<RealtimeEvent> events) {
        var c = new Connection(CONNECTIONS.incrementAndGet(), events);
        c.post(() -> events.accept(new RealtimeEvent.SessionCreated(c.sessionId, "embedded-echo")));
        return CompletableFuture.completedFuture(c);
    }

    private final class Connection implements RealtimeConnection {
        private final String sessionId;
        private final Consumer<RealtimeEvent> events;
        private final ExecutorService thread;
        private final EnergyVad vad;
        private final short[] utterance;
        private int utteranceSamples;
        private long inputSamples;
        private int turn;
        private volatile boolean open = true;

        Connection(int n, Consumer<RealtimeEvent> events) {
            this.sessionId = "sess_embedded_" + n;
            this.events = events;
            this.thread = Executors.newSingleThreadExecutor(
                    Thread.ofVirtual().name("embedded-agent-" + n).factory());
            this.vad = new EnergyVad(config.thresholdRms(), config.attackFrames(), config.hangoverFrames());
            this.utterance = new short[Pcm.SAMPLE_RATE * config.maxUtteranceMillis() / 1000];
        }

        void post(Runnable r) {
            try {
                thread.execute(r);
            } catch (RejectedExecutionException closed) {
                // closed: late sends are dropped, like on a closed socket
            }
        }

        @Override
        public void send(ClientEvent event) {
            if (!open) {
                return;
            }
            // Handled later on this agent's thread: the caller's audio is only lent for the call.
            ClientEvent kept = event instanceof ClientEvent.AppendAudio a
                    ? new ClientEvent.AppendAudio(a.pcm().clone())
                    : event;
            post(() -> handle(kept));
        }

        private void handle(ClientEvent event) {
            switch (event) {
                case ClientEvent.SessionUpdate u -> events.accept(new RealtimeEvent.SessionUpdated(sessionId));
                case ClientEvent.AppendAudio a -> onAudio(a.pcm());
                case ClientEvent.CreateResponse r ->
                    respond(beep(300, 660), "[embedded agent: speak and hear yourself]");
                case ClientEvent.CancelResponse c ->
                    events.accept(new RealtimeEvent.ServerError(
                            "invalid_request_error", "response_cancel_not_active", "no active response", null));
                case ClientEvent.Truncate t -> {
                    // echoes are emitted whole; nothing to trim
                }
                case ClientEvent.UserText t -> {
                    // the echo agent answers audio only
                }
                case ClientEvent.FunctionCallOutput f -> {
                    // the embedded agent calls no tools
                }
            }
        }

        private void onAudio(short[] pcm) {
            for (int off = 0; off + Pcm.FRAME_SAMPLES <= pcm.length; off += Pcm.FRAME_SAMPLES) {
                var frame = Arrays.copyOfRange(pcm, off, off + Pcm.FRAME_SAMPLES);
                inputSamples += frame.length;
                keep(frame);
                switch (vad.accept(frame)) {
                    case STARTED -> {
                        // keep the attack frames that triggered the start, drop older silence
                        int attack = vad.attackFrames() * Pcm.FRAME_SAMPLES;
                        int from = Math.max(0, utteranceSamples - attack);
                        System.arraycopy(utterance, from, utterance, 0, utteranceSamples - from);
                        utteranceSamples -= from;
                        turn++;
                        events.accept(new RealtimeEvent.SpeechStarted(
                                "item_in_" + turn, Pcm.millis(inputSamples - utteranceSamples)));
                    }
                    case STOPPED -> {
                        events.accept(new RealtimeEvent.SpeechStopped("item_in_" + turn, Pcm.millis(inputSamples)));
                        int tail = (vad.hangoverFrames() - 1) * Pcm.FRAME_SAMPLES;
                        var spoken = Arrays.copyOf(utterance, Math.max(0, utteranceSamples - tail));
                        utteranceSamples = 0;
                        var audio = concat(beep(config.beepMillis(), 880), spoken);
                        respond(
                                audio,
                                String.format(Locale.ROOT, "[echo %.1f s]", spoken.length / (double) Pcm.SAMPLE_RATE));
                    }
                    case NONE -> {
                        if (!vad.speaking()) {
                            trimToAttackWindow();
                        }
                    }
                }
            }
        }

        private void keep(short[] frame) {
            int n = Math.min(frame.length, utterance.length - utteranceSamples);
            System.arraycopy(frame, 0, utterance, utteranceSamples, n);
            utteranceSamples += n;
        }

        private void trimToAttackWindow() {
            int window = vad.attackFrames() * Pcm.FRAME_SAMPLES;
            if (utteranceSamples > window) {
                System.arraycopy(utterance, utteranceSamples - window, utterance, 0, window);
                utteranceSamples = window;
            }
        }

        private void respond(short[] audio, String transcript) {
            String responseId = "resp_embedded_" + sessionId + "_" + (++turn);
            String itemId = "item_out_" + turn;
            events.accept(new RealtimeEvent.ResponseCreated(responseId));
            events.accept(new RealtimeEvent.OutputItemAdded(responseId, itemId, "message"));
            // Like the real service, audio arrives faster than real time, in chunks of 100 ms.
            int chunk = Pcm.SAMPLE_RATE / 10;
            for (int off = 0; off < audio.length; off += chunk) {
                events.accept(new RealtimeEvent.OutputAudioDelta(
                        responseId, itemId, Arrays.copyOfRange(audio, off, Math.min(audio.length, off + chunk))));
            }
            events.accept(new RealtimeEvent.OutputAudioDone(responseId, itemId));
            events.accept(new RealtimeEvent.OutputTranscriptDone(itemId, transcript));
            events.accept(new RealtimeEvent.ResponseDone(responseId, "completed", TokenUsage.ZERO));
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
            thread.shutdownNow();
        }
    }

    static short[] beep(int millis, double hz) {
        var s = new short[Pcm.SAMPLE_RATE * millis / 1000];
        for (int i = 0; i < s.length; i++) {
            // 5 ms ramps: no clicks at the edges
            double ramp = Math.min(1.0, Math.min(i, s.length - 1 - i) / (Pcm.SAMPLE_RATE * 0.005));
            s[i] = (short) (6000 * ramp * Math.sin(2 * Math.PI * hz * i / Pcm.SAMPLE_RATE));
        }
        return s;
    }

    private static short[] concat(short[] a, short[] b) {
        var out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
