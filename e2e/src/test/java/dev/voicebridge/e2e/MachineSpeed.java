package dev.voicebridge.e2e;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusDecoder;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.phone.EncodedAudio;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Locale;

/**
 * Fixed workloads timed in the harness before a benchmark starts its stack, printed with the
 * results so that runs can be compared across a shared machine's hours and hosts: on the 2-vCPU
 * benchmark machine the same code's CPU per call moved by half between runs an hour apart. Two
 * kinds of work, because they moved apart: the worker's codec work is arithmetic, while most of
 * the rest of its CPU is system calls and thread wake-ups (datagrams, the model's socket, virtual
 * threads), whose cost depends on the kernel and the hypervisor more than on the core's speed.
 *
 * <ul>
 *   <li>decoding 20 ms Opus frames of speech as a WhatsApp client codes it (SILK wideband, {@link
 *       EncodedAudio#WHATSAPP_SEND}) to 24 kHz, on one thread, as the pacer does for every call;
 *   <li>a datagram round trip between two threads on loopback, each blocked in a receive until the
 *       other's datagram wakes it: two sends, two receives, two wake-ups.
 * </ul>
 *
 * Each is the best of four rounds, in CPU time, so a round interrupted by another process does not
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

    /** CPU microseconds (both threads) per datagram round trip between two threads on loopback. */
    static double wakeUpMicros() {
        final int trips = 5_000;
        var threads = ManagementFactory.getThreadMXBean();
        try (var ping = DatagramChannel.open();
                var pong = DatagramChannel.open()) {
            ping.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            pong.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ping.connect(pong.getLocalAddress());
            pong.connect(ping.getLocalAddress());
            var echo = Thread.ofPlatform().name("machine-speed-echo").daemon().start(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(64);
                try {
                    while (true) {
                        buffer.clear();
                        pong.read(buffer);
                        buffer.flip();
                        pong.write(buffer);
                    }
                } catch (IOException closed) {
                    // the probe is over
                }
            });
            ByteBuffer buffer = ByteBuffer.allocate(64);
            double best = Double.MAX_VALUE;
            for (int round = 0; round <= ROUNDS; round++) {
                long start = threads.getCurrentThreadCpuTime() + threads.getThreadCpuTime(echo.threadId());
                for (int n = 0; n < trips; n++) {
                    buffer.clear().putLong(n).flip();
                    ping.write(buffer);
                    buffer.clear();
                    ping.read(buffer);
                }
                long end = threads.getCurrentThreadCpuTime() + threads.getThreadCpuTime(echo.threadId());
                if (round > 0) {
                    best = Math.min(best, (end - start) / 1e3 / trips);
                }
            }
            return best;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** The sentence the reports print, from {@link #opusDecodeMicros()} and {@link #wakeUpMicros()}. */
    static String describe(double opusDecodeMicros, double wakeUpMicros) {
        return String.format(
                Locale.ROOT,
                "machine speed before the stack started: Opus decode of a fixed speech stream %.1f µs of CPU"
                        + " per 20 ms frame, a datagram round trip between two threads on loopback %.1f µs of"
                        + " CPU (lower is faster)",
                opusDecodeMicros,
                wakeUpMicros);
    }

    /** Both probes, as the reports print them. */
    static String measure() {
        return describe(opusDecodeMicros(), wakeUpMicros());
    }
}
