package dev.voicebridge.worker.modelsocket;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one message a model socket sends 25–50 times a second per call: {@code
 * {"type":"<type>","audio":"<base64 of little-endian PCM16>"}}, written into buffers this instance
 * keeps (the samples as bytes, their base64 by the JDK's intrinsic encoder, the message) and
 * handed to the socket. Built through a JSON tree it cost a tree, the
 * base64 String, a byte array for the samples and the serializer's copies per message, most of
 * the worker's allocation under load. Base64 and the fixed keys are plain ASCII, so nothing needs
 * JSON escaping, and the bytes are the message's UTF-8 as they are: {@link #sendTo} hands them to
 * the socket, which frames them without a String in between.
 *
 * <p>One per connection; calls are serialized (synchronized, uncontended: one sending thread).
 */
public final class AudioAppendJson {
    private static final byte[] SUFFIX = "\"}".getBytes(StandardCharsets.US_ASCII);

    private final byte[] prefix;
    private byte[] samples = new byte[0];
    private byte[] base64 = new byte[0];
    private byte[] message = new byte[0];

    /** @param type the event type, e.g. {@code input_audio_buffer.append}; printable ASCII, no quotes */
    public AudioAppendJson(String type) {
        if (!type.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            throw new IllegalArgumentException("event type must be printable ASCII without quotes: " + type);
        }
        this.prefix = ("{\"type\":\"" + type + "\",\"audio\":\"").getBytes(StandardCharsets.US_ASCII);
    }

    /** The message for {@code pcm}, as a String (tests and benchmarks; the clients use {@link #sendTo}). */
    public synchronized String write(short[] pcm) {
        int length = encode(pcm); // first: it may replace the array
        return new String(message, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Sends the message for {@code pcm} on {@code channel} as its bytes: no String, no UTF-8 copy. */
    public synchronized void sendTo(ModelSocket.Channel channel, short[] pcm) {
        int length = encode(pcm); // first: it may replace the array
        channel.send(message, length);
    }

    private int encode(short[] pcm) {
        int bytes = pcm.length * 2;
        if (samples.length != bytes) { // the encoder takes a whole array; batches keep one size
            samples = new byte[bytes];
            base64 = new byte[4 * ((bytes + 2) / 3)];
        }
        for (int i = 0; i < pcm.length; i++) {
            short s = pcm[i];
            samples[2 * i] = (byte) s;
            samples[2 * i + 1] = (byte) (s >> 8);
        }
        int encoded = Base64.getEncoder().encode(samples, base64);
        int total = prefix.length + encoded + SUFFIX.length;
        if (message.length < total) {
            message = new byte[total];
            System.arraycopy(prefix, 0, message, 0, prefix.length);
        }
        System.arraycopy(base64, 0, message, prefix.length, encoded);
        System.arraycopy(SUFFIX, 0, message, prefix.length + encoded, SUFFIX.length);
        return total;
    }
}
