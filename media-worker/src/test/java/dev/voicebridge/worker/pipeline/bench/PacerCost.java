package dev.voicebridge.worker.pipeline.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.media.dtls.DtlsRole;
import dev.voicebridge.media.dtls.SrtpKeyingMaterial;
import dev.voicebridge.media.dtls.SrtpProfile;
import dev.voicebridge.media.rtp.NtpTime;
import dev.voicebridge.media.rtp.ReportBlock;
import dev.voicebridge.media.rtp.RtcpCodec;
import dev.voicebridge.media.rtp.RtcpPacket;
import dev.voicebridge.media.srtp.PacketBuffer;
import dev.voicebridge.media.srtp.SrtpSession;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.pipeline.CallMedia;
import dev.voicebridge.worker.pipeline.MediaConfig;
import dev.voicebridge.worker.pipeline.NanoClock;
import dev.voicebridge.worker.pipeline.Pacer;
import dev.voicebridge.worker.pipeline.PeerMedia;
import dev.voicebridge.worker.pipeline.RtpOutput;
import dev.voicebridge.worker.transport.SharedUdpPort;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.jitsi.srtp.crypto.Aes;

/**
 * What the pacer thread costs per call per tick, counted rather than timed: {@value #DEFAULT_CALLS}
 * real {@link CallMedia} on a real {@link Pacer} (production {@link MediaConfig#DEFAULTS}), each fed
 * one RTP packet every 20 ms (WhatsApp-like Opus at 20 kb/s: 5 s of speech-like audio, then 5 s of
 * encoded silence, the calls out of phase) and an SR with a report block about our stream every 5 s;
 * the agent's audio is in the playout queue 40 % of the time (2 s in every 5, in 100 ms chunks, as a
 * model delivers it); each call's RTP and RTCP are SRTP-protected with a real {@link SrtpSession} and
 * sent through a real {@link SharedUdpPort} (held per tick, as {@code WebRtcHost} wires it) to a
 * loopback socket; every call's {@code stats()} is read every 2 s, as the status writer does.
 *
 * <p>It reads the pacer thread's CPU time and allocated bytes per call per tick, and the process's
 * CPU less the load generator's thread, in variants that switch stages off, so the differences
 * break the cost down: {@code full}; {@code no-srtp} (RTP sent unprotected); {@code agent-silent}
 * (nothing in the playout queue); {@code no-caller} (no RTP in: nothing decoded); {@code
 * not-accepted} (nothing sent, caller audio still decoded).
 *
 * <p>Not a test and not part of any build: {@code java -cp <test classpath> ...PacerCost [calls]
 * [seconds] [variant...]}.
 */
public final class PacerCost {
    private static final int DEFAULT_CALLS = 100;
    private static final int DEFAULT_SECONDS = 10;
    private static final int GROUPS_PER_TICK = 10;
    private static final long TICK_NANOS = Pacer.PERIOD_NANOS;
    private static final int CYCLE_TICKS = 250; // 5 s: the agent talks the first 100 ticks (40 %)
    private static final int AGENT_TALK_TICKS = 100;
    private static final int AGENT_CHUNK_TICKS = 5;
    private static final int RTCP_EVERY_TICKS = 250;
    private static final int STATS_EVERY_TICKS = 100;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final PeerMedia WHATSAPP =
            new PeerMedia(111, Optional.of(126), Optional.of(20_000), true, Optional.of(16_000));

    /** The caller's stream: 5 s of speech, then 5 s of encoded silence (DTX off, as we answer). */
    private static final byte[][] CALLER = callerStream();

    private static final short[] AGENT_CHUNK = Arrays.copyOf(
            Signals.speechLike(11, AGENT_CHUNK_TICKS * MediaConfig.FRAME_MILLIS),
            AGENT_CHUNK_TICKS * Pcm.FRAME_SAMPLES);

    private PacerCost() {}

    private enum Variant {
        FULL("full", true, true, true, true),
        NO_SRTP("no-srtp", false, true, true, true),
        AGENT_SILENT("agent-silent", true, false, true, true),
        NO_CALLER("no-caller", true, true, false, true),
        NOT_ACCEPTED("not-accepted", true, true, true, false);

        final String label;
        final boolean srtp;
        final boolean agent;
        final boolean caller;
        final boolean accepted;

        Variant(String label, boolean srtp, boolean agent, boolean caller, boolean accepted) {
            this.label = label;
            this.srtp = srtp;
            this.agent = agent;
            this.caller = caller;
            this.accepted = accepted;
        }

        static Variant of(String label) {
            return Arrays.stream(values())
                    .filter(v -> v.label.equals(label))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("variant " + label));
        }
    }

    /** The part of {@code SrtpSender} below the pipeline: protect, then the shared port. */
    private static final class Output implements RtpOutput {
        private final SrtpSession srtp;
        private final SharedUdpPort port;
        private final InetSocketAddress to;
        private final PacketBuffer rtp = new PacketBuffer(1500);
        private final PacketBuffer rtcp = new PacketBuffer(1500);

        Output(SrtpSession srtp, SharedUdpPort port, InetSocketAddress to) {
            this.srtp = srtp;
            this.port = port;
            this.to = to;
        }

        @Override
        public boolean sendRtp(byte[] buf, int off, int len) {
            if (srtp == null) {
                port.send(buf, off, len, to);
                return true;
            }
            if (!srtp.protectRtp(rtp.set(buf, off, len))) {
                return false;
            }
            port.send(rtp.getBuffer(), rtp.getOffset(), rtp.getLength(), to);
            return true;
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            if (srtp == null) {
                port.send(buf, off, len, to);
                return true;
            }
            if (!srtp.protectRtcp(rtcp.set(buf, off, len))) {
                return false;
            }
            port.send(rtcp.getBuffer(), rtcp.getOffset(), rtcp.getLength(), to);
            return true;
        }
    }

    /** Drops caller audio after touching it, as a sink that only hands the frame on would. */
    private static final class Sink implements CallerAudioSink {
        long frames;
        long checksum;

        @Override
        public void onCallerAudio(short[] frame, boolean concealed) {
            frames++;
            checksum += frame[frames % 2 == 0 ? 0 : frame.length - 1];
        }
    }

    private record Result(
            Variant variant,
            long ticks,
            long expectedTicks,
            long pacerCpu,
            long pacerAlloc,
            long processCpu,
            long frames,
            int calls) {
        double perCallTick(long v) {
            return v / 1000.0 / ticks / calls;
        }

        void print() {
            System.out.printf(
                    "%-13s pacer %6.2f µs CPU per call per tick (%.3f %% of a core per call), %7.1f B allocated;"
                            + " process less generator %6.2f µs (%.3f %%); %d ticks, caller frames out %d%n",
                    variant.label,
                    perCallTick(pacerCpu),
                    perCallTick(pacerCpu) / 200.0,
                    (double) pacerAlloc / ticks / calls,
                    perCallTick(processCpu),
                    perCallTick(processCpu) / 200.0,
                    ticks,
                    frames);
            if (ticks < expectedTicks * 9 / 10) {
                System.out.printf(
                        "              ^ the pacer was starved (%d of %d ticks ran): discard this line%n",
                        ticks, expectedTicks);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_CALLS;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_SECONDS;
        List<Variant> variants = args.length > 2
                ? Arrays.stream(args, 2, args.length).map(Variant::of).toList()
                : List.of(Variant.values());
        String aes = System.getProperty("bench.aes");
        if (aes != null) {
            Aes.setFactoryClassName(aes); // e.g. OpenSSL, SunJCE
        }
        SrtpSession.warmUp();
        run(Variant.FULL, calls, seconds).print(); // warm-up: JIT, the AES provider pick
        System.out.println("-- measured (" + calls + " calls, " + seconds + " s each) --");
        for (Variant v : variants) {
            run(v, calls, seconds).print();
        }
    }

    private static Result run(Variant variant, int calls, int seconds) throws Exception {
        var loopback = new InetSocketAddress("127.0.0.1", 0);
        var random = new Random(7);
        var media = new ArrayList<CallMedia>();
        var sinks = new ArrayList<Sink>();
        var sessions = new ArrayList<SrtpSession>();
        // One shard: the cost of a call's tick, read from the one pacer thread.
        var pacer = new Pacer(
                "media-pacer-bench",
                NanoClock.system(),
                MediaConfig.DEFAULTS.pacerMaxCatchUpTicks(),
                MediaConfig.DEFAULTS.pacerLateThresholdMillis(),
                1);
        try (DatagramChannel far = DatagramChannel.open().bind(loopback);
                SharedUdpPort port = SharedUdpPort.open(loopback, 1 << 22, 1024)) {
            var to = (InetSocketAddress) far.getLocalAddress();
            pacer.aroundTicks(port::holdSends, port::flushSends);
            for (int c = 0; c < calls; c++) {
                SrtpSession srtp = null;
                if (variant.srtp) {
                    srtp = new SrtpSession(keys(random), DtlsRole.SERVER);
                    sessions.add(srtp);
                }
                var sink = new Sink();
                var call = new CallMedia(
                        "bench-" + c,
                        MediaConfig.DEFAULTS,
                        WHATSAPP,
                        sink,
                        new Output(srtp, port, to),
                        NanoClock.system(),
                        System::currentTimeMillis,
                        random);
                if (variant.accepted) {
                    call.markAccepted();
                }
                media.add(call);
                sinks.add(sink);
            }
            pacer.start();
            media.forEach(m -> m.start(pacer));
            long pacerThread = threadId("media-pacer-bench");
            long generator = Thread.currentThread().threadId();
            int warmTicks = RTCP_EVERY_TICKS + 50; // every call has had its peer's first report
            int ticks = warmTicks + seconds * 50;
            long[] before = null;
            long ticksBefore = 0;
            long next = System.nanoTime();
            byte[] rtp = new byte[1500];
            int perGroup = (calls + GROUPS_PER_TICK - 1) / GROUPS_PER_TICK;
            for (int tick = 0; tick < ticks; tick++) {
                if (tick == warmTicks) {
                    before = new long[] {
                        THREADS.getThreadCpuTime(pacerThread),
                        THREADS.getThreadAllocatedBytes(pacerThread),
                        OS.getProcessCpuTime(),
                        THREADS.getThreadCpuTime(generator)
                    };
                    ticksBefore = pacer.ticks();
                }
                for (int group = 0; group < GROUPS_PER_TICK; group++) {
                    for (int c = group * perGroup; c < Math.min(calls, (group + 1) * perGroup); c++) {
                        feed(variant, media.get(c), c, tick, rtp);
                    }
                    next += TICK_NANOS / GROUPS_PER_TICK;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }
            long pacerCpu = THREADS.getThreadCpuTime(pacerThread) - before[0];
            long pacerAlloc = THREADS.getThreadAllocatedBytes(pacerThread) - before[1];
            long process = OS.getProcessCpuTime() - before[2] - (THREADS.getThreadCpuTime(generator) - before[3]);
            long ran = pacer.ticks() - ticksBefore;
            long frames = sinks.stream().mapToLong(s -> s.frames).sum();
            return new Result(variant, ran, ticks - warmTicks, pacerCpu, pacerAlloc, process, frames, calls);
        } finally {
            pacer.close();
            media.forEach(CallMedia::close);
            sessions.forEach(SrtpSession::close);
        }
    }

    /** One call's inputs in one tick: its RTP packet, the agent's audio, RTCP, a stats read. */
    private static void feed(Variant variant, CallMedia call, int c, int tick, byte[] rtp) {
        int phase = tick + c * 37; // the calls out of phase
        if (variant.caller) {
            int len = rtp(rtp, phase, c);
            call.onDatagram(rtp, 0, len);
        }
        if (phase % RTCP_EVERY_TICKS == 0) {
            // The peer's report about our stream: no loss, so the encoder runs without FEC.
            byte[] sr = RtcpCodec.serialize(List.of(new RtcpPacket.SenderReport(
                    0x1000L + c,
                    NtpTime.fromEpochMillis(System.currentTimeMillis()),
                    (phase * 960L) & 0xFFFF_FFFFL,
                    phase,
                    phase * 50L,
                    List.of(new ReportBlock(call.localSsrc(), 0, 0, 0, 10, 0, 0)))));
            call.onDatagram(sr, 0, sr.length);
        }
        // The model's audio, one chunk ahead of playout (it streams faster than real time).
        int talk = (phase + AGENT_CHUNK_TICKS) % CYCLE_TICKS;
        if (variant.agent && talk < AGENT_TALK_TICKS && talk % AGENT_CHUNK_TICKS == 0) {
            call.agentOutput().enqueue("item-" + (phase + AGENT_CHUNK_TICKS) / CYCLE_TICKS, AGENT_CHUNK);
        }
        if (phase % STATS_EVERY_TICKS == 0) {
            call.stats();
        }
    }

    private static int rtp(byte[] out, long n, int c) {
        return BenchAudio.rtp(out, CALLER[(int) (n % CALLER.length)], n, 0x1000L + c);
    }

    private static byte[][] callerStream() {
        byte[][] out = new byte[2 * BenchAudio.FRAMES][];
        byte[] buf = new byte[OpusEncoder.MAX_PACKET_BYTES];
        short[] zeros = new short[Pcm.FRAME_SAMPLES];
        try (OpusEncoder enc = OpusCodecs.encoder(BenchAudio.WHATSAPP)) {
            for (int i = 0; i < out.length; i++) {
                short[] pcm = i < BenchAudio.FRAMES ? BenchAudio.PCM[i] : zeros;
                out[i] = Arrays.copyOf(buf, enc.encode(pcm, buf, 0));
            }
        }
        return out;
    }

    private static SrtpKeyingMaterial keys(Random random) {
        var profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            parts[i] = new byte[i % 2 == 0 ? profile.keyLength() : profile.saltLength()];
            random.nextBytes(parts[i]);
        }
        return new SrtpKeyingMaterial(profile, parts[0], parts[1], parts[2], parts[3]);
    }

    private static long threadId(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .findFirst()
                .orElseThrow()
                .threadId();
    }
}
