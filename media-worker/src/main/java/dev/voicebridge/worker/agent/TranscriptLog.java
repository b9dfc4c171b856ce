package dev.voicebridge.worker.agent;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.TranscriptLine;
import dev.voicebridge.worker.model.ModelEvent;
import dev.voicebridge.worker.model.SessionSpec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The recent transcript of one call, bounded, plus one structured log event per line. Owned by the
 * agent's owner thread. Digit runs that look like phone numbers are masked in logs and status.
 *
 * <p>What callers and agents say is personal data: the log event is at FINE on the logger
 * {@code voicebridge.agent.transcript}, an explicit opt-in (set that logger to FINE), never INFO.
 */
final class TranscriptLog {
    private static final Logger LOG = Logger.getLogger("voicebridge.agent.transcript");
    private static final Pattern PHONE_LIKE = Pattern.compile("\\+?\\d[\\d \\-]{5,}\\d");
    static final int MAX_TEXT = 1000;

    record Line(String role, String text, Instant at) {}

    private final String callId;
    private final int capacity;
    private final ArrayDeque<Line> lines = new ArrayDeque<>();

    TranscriptLog(String callId, int capacity) {
        this.callId = callId;
        this.capacity = capacity;
    }

    void add(String role, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        String clean = mask(text.strip());
        if (clean.length() > MAX_TEXT) {
            clean = clean.substring(0, MAX_TEXT);
        }
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(new Line(role, clean, Instant.now()));
        // What was said is the caller's: on demand only (voicebridge.agent.transcript.level=FINE).
        LOG.fine(() -> LogLine.of(
                "agent.transcript",
                LogLine.CALL,
                callId,
                "role",
                role,
                "text",
                lines.getLast().text()));
    }

    static String mask(String text) {
        return PHONE_LIKE.matcher(text).replaceAll(m -> "#"
                .repeat(Math.min(m.group().length(), 16)));
    }

    List<TranscriptLine> toStatus() {
        var out = new ArrayList<TranscriptLine>(lines.size());
        for (var l : lines) {
            var t = new TranscriptLine();
            t.setRole(l.role());
            t.setText(l.text());
            t.setAt(l.at().toString());
            out.add(t);
        }
        return out;
    }

    /** The last {@code n} lines, oldest first, for seeding a new model session. */
    List<SessionSpec.Line> recent(int n) {
        var all = new ArrayList<>(lines);
        return all.subList(Math.max(0, all.size() - n), all.size()).stream()
                .map(l -> new SessionSpec.Line(
                        "caller".equals(l.role()) ? ModelEvent.Role.CALLER : ModelEvent.Role.AGENT, l.text()))
                .toList();
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }
}
