package dev.voicebridge.worker.pipeline.bench;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusDecoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Per 20 ms frame: Opus decode to 24 kHz, FEC decode, PLC. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpusBench {
    private OpusDecoder decoder;
    private final short[] pcm = new short[OpusDecoder.MAX_FRAME_SAMPLES];
    private int n;

    @Setup(Level.Trial)
    public void setUp() {
        decoder = OpusCodecs.decoder();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoder.close();
    }

    private int next() {
        n = (n + 1) % BenchAudio.FRAMES;
        return n;
    }

    @Benchmark
    public int decode(CpuTime cpu) {
        cpu.ops++;
        byte[] p = BenchAudio.OPUS[next()];
        return decoder.decode(p, 0, p.length, pcm);
    }

    @Benchmark
    public int decodeFec(CpuTime cpu) {
        cpu.ops++;
        byte[] p = BenchAudio.OPUS[next()];
        return decoder.decodeFec(p, 0, p.length, pcm, 480);
    }

    @Benchmark
    public int conceal(CpuTime cpu) {
        cpu.ops++;
        return decoder.conceal(pcm, 480);
    }
}
