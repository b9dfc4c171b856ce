package dev.voicebridge.testkit.live;

import java.util.ArrayList;
import java.util.List;

/**
 * The fake model's mouth: one 20 ms frame per tick for the whole session, speech when it has
 * something to say and digital silence otherwise, the way GPT-Live streams output at real-time
 * pace. Output transcript fragments follow the audio in 200 ms windows on the session timeline, so
 * a transcript only ever holds what was actually spoken; an utterance cut short by the caller
 * leaves its unspoken words out. Owned by one connection thread.
 */
final class LiveVoice {
    static final int RATE = 24_000;
    static final int FRAME = RATE / 50;
    static final int FRAME_MS = 20;
    static final int WINDOW_FRAMES = 10;

    /** A transcript fragment of the model's speech on the session timeline. */
    record Fragment(String text, long startMs, long endMs) {}

    /** What one tick produced: the frame's samples, whether they were speech, and any fragments. */
    record Tick(short[] pcm, boolean speech, List<Fragment> fragments, boolean finished) {}

    private static final class Utterance {
        final short[] pcm;
        final String[] words;
        final int windows;
        final long startMs;
        int sent;
        int nextWord;

        Utterance(short[] pcm, String transcript, long startMs) {
            this.pcm = pcm;
            this.words =
                    transcript.isBlank() ? new String[0] : transcript.trim().split("\\s+");
            int frames = (pcm.length + FRAME - 1) / FRAME;
            this.windows = Math.max(1, (frames + WINDOW_FRAMES - 1) / WINDOW_FRAMES);
            this.startMs = startMs;
        }

        /** Words due by the end of window {@code w} (0-based), as one fragment text. */
        String wordsThrough(int w) {
            int due = (int) Math.min(words.length, (long) words.length * (w + 1) / windows);
            var b = new StringBuilder();
            for (; nextWord < due; nextWord++) {
                b.append(' ').append(words[nextWord]);
            }
            return b.toString();
        }
    }

    private long frames;
    private Utterance speaking;
    private boolean firstFragment = true;

    /** Milliseconds of output since the session started: the session timeline. */
    long nowMs() {
        return frames * FRAME_MS;
    }

    boolean speaking() {
        return speaking != null;
    }

    /** Starts saying {@code pcm}, replacing whatever was being said. */
    void speak(short[] pcm, String transcript) {
        speaking = pcm.length == 0 ? null : new Utterance(pcm, transcript, nowMs());
    }

    /**
     * The model stops talking by itself (it heard the caller). Returns the milliseconds of the
     * utterance already sent, or -1 when it was not speaking.
     */
    long stop() {
        if (speaking == null) {
            return -1;
        }
        long spoken = (long) speaking.sent * 1000 / RATE;
        speaking = null;
        return spoken;
    }

    Tick tick() {
        var pcm = new short[FRAME];
        long frameStart = nowMs();
        frames++;
        var u = speaking;
        if (u == null) {
            return new Tick(pcm, false, List.of(), false);
        }
        int n = Math.min(FRAME, u.pcm.length - u.sent);
        System.arraycopy(u.pcm, u.sent, pcm, 0, n);
        u.sent += n;
        var fragments = new ArrayList<Fragment>(1);
        int frameIndex = (int) ((frameStart - u.startMs) / FRAME_MS);
        boolean finished = u.sent >= u.pcm.length;
        if (finished || (frameIndex + 1) % WINDOW_FRAMES == 0) {
            int window = frameIndex / WINDOW_FRAMES;
            String text = finished ? u.wordsThrough(u.windows - 1) : u.wordsThrough(window);
            if (!text.isEmpty()) {
                long windowStart = u.startMs + (long) window * WINDOW_FRAMES * FRAME_MS;
                // deltas carry their own leading space so they concatenate into the transcript
                fragments.add(new Fragment(firstFragment ? text.substring(1) : text, windowStart, nowMs()));
                firstFragment = false;
            }
        }
        if (finished) {
            speaking = null;
        }
        return new Tick(pcm, true, fragments, finished);
    }
}
