package dev.voicebridge.worker.pipeline.bench;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.media.codec.OpusEncoderSettings;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Per 20 ms frame: Opus encode from 24 kHz at WhatsApp's 20 kb/s, and silence. {@code before}: the
 * settings before the CPU work (complexity 5, 10 % FEC budget, no bandwidth cap); {@code clean}:
 * no loss reported (complexity 1, no FEC coded, wideband); {@code lossy}: loss reported
 * (complexity 2, 10 % budget, FEC coded).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpusEncodeBench {
    @Param({"before", "clean", "lossy"})
    public String setting;

    private OpusEncoder encoder;
    private final byte[] packet = new byte[OpusEncoder.MAX_PACKET_BYTES];
    private int n;

    @Setup(Level.Trial)
    public void setUp() {
        encoder = OpusCodecs.encoder(
                switch (setting) {
                    case "before" -> new OpusEncoderSettings(20_000, true, 10, 5);
                    case "clean" -> new OpusEncoderSettings(20_000, true, 0, 1, 16_000);
                    case "lossy" -> new OpusEncoderSettings(20_000, true, 10, 2, 16_000);
                    default -> throw new IllegalArgumentException(setting);
                });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
    }

    @Benchmark
    public int encode(CpuTime cpu) {
        cpu.ops++;
        n = (n + 1) % BenchAudio.FRAMES;
        return encoder.encode(BenchAudio.PCM[n], packet, 0);
    }

    /** Zeros through the encoder, what each of the first frames of a pause costs. */
    @Benchmark
    public int encodeSilence(CpuTime cpu) {
        cpu.ops++;
        return encoder.encodeSilence(packet, 0);
    }
}
