package dev.voicebridge.worker.agent;

import dev.voicebridge.api.v1alpha1.TurnDetectionType;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.model.Capabilities;
import dev.voicebridge.worker.model.ModelEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent's audio on its way to the caller, by the adapter's barge-in capability. When the client
 * cuts the model off, a barge-in flushes the queue and says how much of the item was really played;
 * when the model stops by itself, nothing is ever flushed and the queue is kept shallow
 * ({@link ShallowPlayout}). A greeting asked for before the call is accepted is held here until the
 * lead-in after accept ({@link Greeter}). Owner thread only.
 */
final class AgentPlayout {
    /** Agent audio queued this recently still counts as audible (model-controlled interruptions). */
    private static final long AUDIBLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AgentAudioOutput output;
    private final boolean clientCuts;
    private final ShallowPlayout shallow;
    private long lastAudio;
    private long trimmedMillis;
    /** Audio held back (the greeting, until the lead-in after accept); null when audio flows. */
    private List<Held> held;

    private record Held(String itemId, short[] pcm) {}

    AgentPlayout(AgentAudioOutput output, Capabilities capabilities, VoiceAgentSpec agent) {
        this.output = output;
        this.clientCuts = capabilities.bargeIn() == Capabilities.BargeIn.CLIENT_TRUNCATES && interruptible(agent);
        this.shallow =
                capabilities.playoutDepthFrames() > 0 ? new ShallowPlayout(capabilities.playoutDepthFrames()) : null;
    }

    /** Whether the caller may cut the agent off (Realtime settings; manual turns never interrupt). */
    private static boolean interruptible(VoiceAgentSpec agent) {
        var td = agent.getTurnDetection();
        return td == null
                || (td.getType() != TurnDetectionType.none
                        && (td.getInterruptResponse() == null || td.getInterruptResponse()));
    }

    void play(ModelEvent.AgentAudio a, long now) {
        lastAudio = now;
        enqueue(a.itemId(), a.pcm());
        if (shallow != null) {
            trimmedMillis += shallow.afterEnqueue(output, now);
        }
    }

    private void enqueue(String itemId, short[] pcm) {
        if (held != null) {
            held.add(new Held(itemId, pcm));
        } else {
            output.enqueue(itemId, pcm);
        }
    }

    /** From now on, audio waits here until {@link #release()}. */
    void hold() {
        if (held == null) {
            held = new ArrayList<>();
            output.hold();
        }
    }

    /** Lets the held audio (and whatever follows) go to the caller, in order. */
    void release() {
        var pending = held;
        held = null;
        if (pending != null) {
            pending.forEach(h -> output.enqueue(h.itemId(), h.pcm()));
            output.release();
        }
    }

    private int heldMillis() {
        return held == null
                ? 0
                : Pcm.millis(held.stream().mapToInt(h -> h.pcm().length).sum());
    }

    /**
     * Client-side barge-in: stops playout at once. Returns what was cut when an item was playing
     * (the model must be told how much of it the caller heard), else null: nothing playing, or the
     * model stops by itself.
     */
    AgentAudioOutput.Flushed cut() {
        if (!clientCuts) {
            return null;
        }
        if (held != null && !held.isEmpty()) {
            // The caller spoke before the held greeting was heard: none of it was.
            var none = new AgentAudioOutput.Flushed(held.get(0).itemId(), 0, heldMillis());
            held.clear();
            output.flush();
            return none;
        }
        var flushed = output.flush();
        return flushed.wasPlaying() ? flushed : null;
    }

    /** The agent's voice is (about to be) heard: queued, or queued within the last 100 ms. */
    boolean audible(long now) {
        return now - lastAudio < AUDIBLE_NANOS || output.queuedMillis() > 0;
    }

    void notice(short[] pcm) {
        enqueue("notice", pcm);
    }

    /** Audio still to be heard: queued for the send path, or held. */
    int queuedMillis() {
        return output.queuedMillis() + heldMillis();
    }

    long trimmedMillis() {
        return trimmedMillis;
    }
}
