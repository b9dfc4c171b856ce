package dev.voicebridge.worker.pipeline.bench;

import dev.voicebridge.media.rtp.ReportBlock;
import dev.voicebridge.media.rtp.RtcpCodec;
import dev.voicebridge.media.rtp.RtcpPacket;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.pipeline.CallMedia;
import dev.voicebridge.worker.pipeline.MediaConfig;
import dev.voicebridge.worker.pipeline.MediaStats;
import dev.voicebridge.worker.pipeline.PeerMedia;
import dev.voicebridge.worker.pipeline.RtpOutput;
import dev.voicebridge.worker.pipeline.Ticks;
import java.util.List;
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
    /**
     * {@code before}: the settings before the CPU work (complexity 5, fixed 10 % FEC budget, no
     * bandwidth cap). {@code clean}: the defaults after the peer reported no loss (complexity 1,
     * no FEC coded, wideband). {@code lossy}: the defaults after the peer reported 10 % loss
     * (complexity 2, FEC coded).
     */
    @Param({"before", "clean", "lossy"})
    public String setting;

    private static final PeerMedia WHATSAPP =
            new PeerMedia(111, Optional.of(126), Optional.of(20_000), true, Optional.of(16_000));
    private static final PeerMedia WHATSAPP_UNCAPPED = new PeerMedia(111, Optional.of(126), Optional.of(20_000), true);

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
        boolean before = setting.equals("before");
        CallMedia call = new CallMedia(
                "bench",
                before ? MediaConfig.DEFAULTS.withOpusComplexity(5, 5) : MediaConfig.DEFAULTS,
                before ? WHATSAPP_UNCAPPED : WHATSAPP,
                counting,
                counting,
                () -> now,
                () -> now / 1_000_000,
                new SplittableRandom(seed));
        if (!before) {
            // The peer's receiver reports about our stream: 10 % loss, or clean ones until the
            // budget has decayed below the FEC threshold.
            int reports = setting.equals("lossy") ? 1 : 10;
            int fraction = setting.equals("lossy") ? 26 : 0;
            byte[] rr = RtcpCodec.serialize(List.of(new RtcpPacket.ReceiverReport(
                    0x5EED_0001L, List.of(new ReportBlock(call.localSsrc(), fraction, 0, 0, 0, 0, 0)))));
            for (int i = 0; i < reports; i++) {
                call.onDatagram(rr, 0, rr.length);
                Ticks.tick(call, -1, now); // processes the report (nothing is sent before markAccepted)
            }
            MediaStats s = call.stats();
            if ((s.fecBudgetPercent() > 5) != setting.equals("lossy")) {
                throw new IllegalStateException("bench setting not reached: " + s);
            }
        }
        return call;
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
        Ticks.tick(call, n, now);
        n++;
    }
}
