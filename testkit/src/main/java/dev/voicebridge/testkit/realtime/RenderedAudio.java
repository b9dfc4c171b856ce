package dev.voicebridge.testkit.realtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * A response's audio as the fake streams it: the samples, the transcript, and every delta's
 * base64 text, encoded once. The fake answers every utterance with the same audio, so a load
 * test's thousands of responses share one rendering ({@link FakeRealtimeServer#rendered}) instead
 * of each rendering its tone and base64-encoding a delta every 20 ms.
 *
 * @param pcm 24 kHz mono PCM16 samples
 * @param chunkSamples samples per delta (the last one may be shorter)
 * @param deltas the little-endian PCM16 of each delta, base64 (RFC 4648 §4, padded)
 */
record RenderedAudio(short[] pcm, String transcript, int chunkSamples, String[] deltas) {
    static RenderedAudio of(short[] pcm, String transcript, int chunkSamples) {
        int chunk = Math.max(1, chunkSamples);
        var deltas = new String[(pcm.length + chunk - 1) / chunk];
        var bytes = ByteBuffer.allocate(chunk * 2).order(ByteOrder.LITTLE_ENDIAN);
        var encoder = Base64.getEncoder();
        for (int i = 0; i < deltas.length; i++) {
            int n = Math.min(chunk, pcm.length - i * chunk);
            bytes.clear();
            bytes.asShortBuffer().put(pcm, i * chunk, n);
            deltas[i] = encoder.encodeToString(Arrays.copyOf(bytes.array(), n * 2));
        }
        return new RenderedAudio(pcm, transcript, chunk, deltas);
    }

    /** Samples in delta {@code i}. */
    int samples(int i) {
        return Math.min(chunkSamples, pcm.length - i * chunkSamples);
    }
}
