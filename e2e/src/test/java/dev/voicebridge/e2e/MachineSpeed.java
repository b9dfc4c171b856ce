package dev.voicebridge.e2e;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusDecoder;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.phone.EncodedAudio;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A fixed workload timed in the harness before a benchmark starts its stack, printed with the
 * results so that runs can be compared across a shared machine's hours: on the 2-vCPU benchmark
 * machine the same code's CPU per call moved by half between runs an hour apart. The workload is
 * the one the worker's pacer does for every call: decoding 20 ms Opus frames of speech as a
 * WhatsApp client codes it (SILK wideband, {@link EncodedAudio#WHATSAPP_SEND}) to 24 kHz, on one
 * thread; the best of four rounds, in CPU time, so a round interrupted by another process does not
 * count.
 */
final class MachineSpeed {
    private static final int ROUNDS = 4;

    private MachineSpeed() {}

    /** CPU microseconds per decoded frame. */
    static double opusDecodeMicros() {
        var audio = EncodedAudio.encode(Signals.speechLike(20261206L, 20_000), 300);
        var threads = ManagementFactory.getThreadMXBean();
        short[] out = new short[OpusDecoder.MAX_FRAME_SAMPLES];
        double best = Double.MAX_VALUE;
        try (OpusDecoder decoder = OpusCodecs.decoder()) {
            for (int round = 0; round <= ROUNDS; round++) {
                long start = threads.getCurrentThreadCpuTime();
                for (int n = 0; n < audio.frames(); n++) {
                    byte[] packet = audio.packet(n);
                    decoder.decode(packet, 0, packet.length, out);
                }
                double micros = (threads.getCurrentThreadCpuTime() - start) / 1e3 / audio.frames();
                if (round > 0) { // the first round loads and compiles
                    best = Math.min(best, micros);
                }
            }
        }
        return best;
    }

    /** The sentence the reports print. */
    static String describe(double opusDecodeMicros) {
        return String.format(
                Locale.ROOT,
                "machine speed before the stack started: Opus decode of a fixed speech stream %.1f µs of CPU"
                        + " per 20 ms frame (lower is faster)",
                opusDecodeMicros);
    }
}
