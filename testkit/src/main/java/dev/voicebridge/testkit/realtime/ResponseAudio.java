package dev.voicebridge.testkit.realtime;

import dev.voicebridge.testkit.audio.Signals;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/** What the fake model says in a response. 24 kHz mono PCM16, like the GA {@code audio/pcm} format. */
public sealed interface ResponseAudio {
    int RATE = 24_000;

    /** A sine tone; the transcript names it so tests can match lines. */
    record Tone(double hz, int millis, int amplitude) implements ResponseAudio {}

    /** Fixed samples, e.g. from a WAV file. */
    record Samples(short[] pcm, String transcript) implements ResponseAudio {}

    /** The caller's last utterance, spoken back. */
    record Echo() implements ResponseAudio {}

    static Tone tone(double hz, int millis) {
        return new Tone(hz, millis, 8000);
    }

    static short[] render(Tone t) {
        return Signals.tone(t.hz(), t.amplitude() / 32767.0, t.millis());
    }

    static String transcriptOf(Tone t) {
        return String.format(Locale.ROOT, "tone %.0f Hz %d ms", t.hz(), t.millis());
    }

    /** Reads a RIFF/WAVE file that must be PCM16 mono 24 kHz (what the model emits). */
    static Samples wav(InputStream in, String transcript) throws IOException {
        var buf = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.remaining() < 12 || buf.getInt(0) != 0x46464952 || buf.getInt(8) != 0x45564157) {
            throw new IOException("not a RIFF/WAVE file");
        }
        int pos = 12;
        short[] pcm = null;
        while (pos + 8 <= buf.limit()) {
            int id = buf.getInt(pos);
            int size = buf.getInt(pos + 4);
            if (id == 0x20746d66) { // "fmt "
                int format = buf.getShort(pos + 8);
                int channels = buf.getShort(pos + 10);
                int rate = buf.getInt(pos + 12);
                int bits = buf.getShort(pos + 22);
                if (format != 1 || channels != 1 || rate != RATE || bits != 16) {
                    throw new IOException("WAV must be PCM16 mono 24 kHz, got format=" + format + " channels="
                            + channels + " rate=" + rate + " bits=" + bits);
                }
            } else if (id == 0x61746164) { // "data"
                int n = Math.min(size, buf.limit() - pos - 8) / 2;
                pcm = new short[n];
                buf.position(pos + 8);
                buf.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(pcm);
            }
            pos += 8 + size + (size & 1);
        }
        if (pcm == null) {
            throw new IOException("WAV has no data chunk");
        }
        return new Samples(pcm, transcript);
    }
}
