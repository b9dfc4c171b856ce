package dev.voicebridge.testkit.live;

import dev.voicebridge.testkit.realtime.CallerInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fake model's ear: the caller's appended audio through the shared energy detector, turned
 * into what GPT-Live reports and acts on. Times are on the session timeline: the input clock
 * (samples appended) starts where the output clock stood at the first append. The caller's words
 * (the configured transcript) come out one per 200 ms of speech, the rest when they stop. Owned by
 * one connection thread.
 */
final class LiveEar {
    sealed interface Heard {}

    /** The caller began to speak (attack frames included). */
    record Started(long startMs) implements Heard {}

    /** A fragment of the caller's transcript. */
    record Words(String text, long startMs, long endMs) implements Heard {}

    /** The caller stopped; {@code spoken} is their utterance. */
    record Stopped(long endMs, short[] spoken) implements Heard {}

    private final CallerInput input;
    private long offsetMs = -1;
    private String[] words = new String[0];
    private int wordsSent;
    private long speechStartMs = -1;
    private long speechFrames;

    LiveEar(double thresholdRms, int silenceDurationMs) {
        this.input = new CallerInput(thresholdRms);
        input.silenceDurationMs(silenceDurationMs);
    }

    /** @param outputNowMs the session timeline's position now; the first append anchors the input clock */
    List<Heard> hear(short[] pcm, long outputNowMs, String transcript) {
        if (offsetMs < 0) {
            offsetMs = outputNowMs;
        }
        var out = new ArrayList<Heard>(2);
        long before = input.inputSamples();
        for (var edge : input.append(pcm)) {
            switch (edge) {
                case CallerInput.Started s -> {
                    speechStartMs = offsetMs + s.audioStartMs();
                    speechFrames = 0;
                    words = transcript.isBlank()
                            ? new String[0]
                            : transcript.trim().split("\\s+");
                    wordsSent = 0;
                    out.add(new Started(speechStartMs));
                }
                case CallerInput.Stopped s -> {
                    long endMs = offsetMs + s.audioEndMs();
                    if (wordsSent < words.length) {
                        var rest = String.join(" ", Arrays.copyOfRange(words, wordsSent, words.length));
                        out.add(words(rest, Math.max(speechStartMs, endMs - 200), endMs));
                        wordsSent = words.length;
                    }
                    speechStartMs = -1;
                    out.add(new Stopped(endMs, s.spoken()));
                }
            }
        }
        if (speechStartMs >= 0) {
            long frames = (input.inputSamples() - before) / CallerInput.FRAME;
            for (long i = 0; i < frames; i++) {
                if (++speechFrames % LiveVoice.WINDOW_FRAMES == 0 && wordsSent < words.length - 1) {
                    long end = offsetMs + input.inputSamples() * 1000 / CallerInput.RATE;
                    out.add(words(words[wordsSent], end - 200, end));
                    wordsSent++;
                }
            }
        }
        return out;
    }

    /** Deltas carry their own leading space so they concatenate into the transcript. */
    private Words words(String text, long startMs, long endMs) {
        return new Words(wordsSent == 0 ? text : " " + text, startMs, endMs);
    }
}
