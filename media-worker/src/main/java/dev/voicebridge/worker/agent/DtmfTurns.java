package dev.voicebridge.worker.agent;

import java.util.stream.Collectors;

/**
 * DTMF key presses gathered into text turns. A key press is a turn of its own for the model, but a
 * burst of them (a caller typing a number, or a peer sending thousands of telephone-events) must
 * not become a burst of model responses: the presses of one coalescing window go to the model as
 * one text turn with at most one {@code response.create}, and one window holds at most
 * {@link #MAX_KEYS} keys (the rest are counted in the text). Owner thread only.
 */
final class DtmfTurns {
    static final int MAX_KEYS = 32;

    /** The keys of one window, as the model and the transcript see them. */
    record Batch(String keys, int more) {
        /** The user text turn the model receives. */
        String text() {
            String listed = keys.chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining(", "));
            if (keys.length() == 1 && more == 0) {
                return "The caller pressed the phone key " + listed + ".";
            }
            return "The caller pressed the phone keys " + listed
                    + (more > 0 ? " (and " + more + " more key presses)." : ".");
        }

        /** The caller's transcript line. */
        String transcript() {
            return "[DTMF " + keys + (more > 0 ? " +" + more : "") + "]";
        }
    }

    private final StringBuilder keys = new StringBuilder();
    private int more;

    /** Adds a key press; true when it opens a window (the caller then schedules its {@link #take}). */
    boolean add(char digit) {
        boolean first = keys.isEmpty() && more == 0;
        if (keys.length() < MAX_KEYS) {
            keys.append(digit);
        } else {
            more++;
        }
        return first;
    }

    /** The window's keys, and a fresh window; null when nothing was pressed. */
    Batch take() {
        if (keys.isEmpty()) {
            return null;
        }
        var batch = new Batch(keys.toString(), more);
        keys.setLength(0);
        more = 0;
        return batch;
    }
}
