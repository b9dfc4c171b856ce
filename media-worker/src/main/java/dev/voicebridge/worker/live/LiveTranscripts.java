package dev.voicebridge.worker.live;

import dev.voicebridge.worker.model.ModelEvent;
import java.util.function.Consumer;

/**
 * Assembles GPT-Live's transcript fragments into lines. The service sends timed fragments of
 * each speaker with no done event and no turn boundaries, so a speaker's line ends when a
 * fragment starts more than {@code gapMillis} after the line's last one, or when the session
 * timeline passes that point with nothing new (the continuous output stream is the clock). Owned
 * by the session's owner thread.
 */
final class LiveTranscripts {
    private final long gapMillis;
    private final Consumer<ModelEvent> out;
    private final Line caller = new Line(ModelEvent.Role.CALLER);
    private final Line agent = new Line(ModelEvent.Role.AGENT);

    LiveTranscripts(long gapMillis, Consumer<ModelEvent> out) {
        this.gapMillis = gapMillis;
        this.out = out;
    }

    private final class Line {
        final ModelEvent.Role role;
        final StringBuilder text = new StringBuilder();
        long startMs = -1;
        long endMs = -1;

        Line(ModelEvent.Role role) {
            this.role = role;
        }

        void add(String delta, long start, long end) {
            if (startMs >= 0 && start - endMs > gapMillis) {
                flush();
            }
            if (startMs < 0) {
                startMs = start;
            }
            text.append(delta);
            endMs = Math.max(endMs, end);
        }

        void flush() {
            if (startMs >= 0 && !text.toString().isBlank()) {
                out.accept(new ModelEvent.Transcript(role, text.toString().strip(), startMs, endMs));
            }
            text.setLength(0);
            startMs = -1;
            endMs = -1;
        }
    }

    void fragment(ModelEvent.Role role, String delta, long startMs, long endMs) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        Line own = role == ModelEvent.Role.CALLER ? caller : agent;
        Line other = own == caller ? agent : caller;
        if (other.startMs >= 0 && other.endMs <= startMs) {
            other.flush(); // the other speaker's line ended before this one began: keep the order
        }
        own.add(delta, startMs, endMs);
    }

    /** The session timeline stands at {@code nowMs}: lines quiet for longer than the gap end. */
    void tick(long nowMs) {
        for (var line : new Line[] {caller, agent}) {
            if (line.startMs >= 0 && nowMs - line.endMs > gapMillis) {
                line.flush();
            }
        }
    }

    void flushAll() {
        caller.flush();
        agent.flush();
    }
}
