package dev.voicebridge.testkit.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes mono PCM16 WAV files (RIFF, little-endian), e.g. to listen to a failed test. */
public final class WavFile {
    private WavFile() {}

    public record Audio(int sampleRate, short[] samples) {}

    public static void write(Path path, int sampleRate, short[] samples) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + samples.length * 2);
        b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2);
        b.putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(samples.length * 2);
        for (short s : samples) {
            b.putShort(s);
        }
        Files.write(path, b.array());
    }

    /** Reads a mono PCM16 WAV; other formats are refused with a specific message. */
    public static Audio read(Path path) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException("not a RIFF/WAVE file: " + path);
        }
        int pos = 12;
        int sampleRate = -1;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (size < 0 || pos + 8 + size > b.limit()) {
                throw new IOException("truncated WAV chunk in " + path);
            }
            if (id == 0x20746d66) { // "fmt "
                int format = b.getShort(pos + 8);
                int channels = b.getShort(pos + 10);
                sampleRate = b.getInt(pos + 12);
                int bits = b.getShort(pos + 22);
                if (format != 1 || channels != 1 || bits != 16) {
                    throw new IOException("only mono 16-bit PCM WAV is supported: " + path);
                }
            } else if (id == 0x61746164) { // "data"
                if (sampleRate < 0) {
                    throw new IOException("WAV data before fmt chunk: " + path);
                }
                short[] samples = new short[size / 2];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = b.getShort(pos + 8 + 2 * i);
                }
                return new Audio(sampleRate, samples);
            }
            pos += 8 + size + (size & 1);
        }
        throw new IOException("no data chunk in " + path);
    }
}
