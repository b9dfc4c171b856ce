package dev.voicebridge.worker.pipeline.bench;

import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.pipeline.CallMedia;
import dev.voicebridge.worker.pipeline.MediaConfig;
import dev.voicebridge.worker.pipeline.MediaStats;
import dev.voicebridge.worker.pipeline.PeerMedia;
import dev.voicebridge.worker.pipeline.RtpOutput;
import java.util.Optional;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Whole paths of one call per 20 ms tick, through the public CallMedia API exactly as the
 * transport and the agent drive it (SRTP not included: the transport adds it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CallMediaBench {
    @Param({"5", "9"})
    public int complexity;

    private static final PeerMedia WHATSAPP = new PeerMedia(111, Optional.of(126), Optional.of(20_000), true);

    private CallMedia receiveOnly;
    private CallMedia sendOnly;
    private CallMedia idleAgent;
    private CallMedia bothDirections;
    private final byte[] datagram = new byte[1500];
    private long now;
    private long n;

    /** Sinks and outputs that only count, as the real ones only enqueue. */
    static final class Counting implements CallerAudioSink, RtpOutput {
        long samples;
        long bytes;

        @Override
        public void onCallerAudio(short[] frame, boolean concealed) {
            samples += frame.length;
        }

        @Override
        public boolean sendRtp(byte[] packet, int offset, int length) {
            bytes += length;
            return true;
        }

        @Override
        public boolean sendRtcp(byte[] packet, int offset, int length) {
            bytes += length;
            return true;
        }
    }

    private final Counting counting = new Counting();

    @Setup(Level.Trial)
    public void setUp() {
        receiveOnly = call(1);
        sendOnly = call(2);
        sendOnly.markAccepted();
        idleAgent = call(3);
        idleAgent.markAccepted();
        bothDirections = call(4);
        bothDirections.markAccepted();
    }

    private CallMedia call(long seed) {
        return new CallMedia(
                "bench",
                MediaConfig.DEFAULTS.withOpusComplexity(complexity),
                WHATSAPP,
                counting,
                counting,
                () -> now,
                () -> now / 1_000_000,
                new SplittableRandom(seed));
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        MediaStats s = bothDirections.stats();
        bh.consume(s);
        receiveOnly.close();
        sendOnly.close();
        idleAgent.close();
        bothDirections.close();
    }

    /** RTP in → parse → queue → jitter buffer → Opus decode → sink. */
    @Benchmark
    public long receivePath(CpuTime cpu) {
        cpu.ops++;
        tick(receiveOnly, true, false);
        return counting.samples;
    }

    /** Agent audio → playout queue → Opus encode → RTP → output (RTCP every 5 s included). */
    @Benchmark
    public long sendPath(CpuTime cpu) {
        cpu.ops++;
        tick(sendOnly, false, true);
        return counting.bytes;
    }

    /** The agent is quiet: encoded silence every tick (after the first frames, a cached packet). */
    @Benchmark
    public long sendPathSilence(CpuTime cpu) {
        cpu.ops++;
        tick(idleAgent, false, false);
        return counting.bytes;
    }

    /** One call's whole media work per 20 ms: the number the 80 µs target is about. */
    @Benchmark
    public long bothDirections(CpuTime cpu) {
        cpu.ops++;
        tick(bothDirections, true, true);
        return counting.bytes + counting.samples;
    }

    private void tick(CallMedia call, boolean receive, boolean agentTalks) {
        now += 20_000_000L;
        if (receive) {
            int len = BenchAudio.rtp(datagram, n);
            call.onDatagram(datagram, 0, len);
        }
        if (agentTalks) {
            call.agentOutput().enqueue("item", BenchAudio.PCM[(int) (n % BenchAudio.FRAMES)]);
        }
        call.onTick(n, now);
        n++;
    }
}
