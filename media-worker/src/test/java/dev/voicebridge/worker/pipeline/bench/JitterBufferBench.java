package dev.voicebridge.worker.pipeline.bench;

import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.media.rtp.RtpParseResult;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.worker.pipeline.JitterBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Per 20 ms frame: RTP parse, and jitter buffer insert + playout with neighbours swapped. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JitterBufferBench {
    private final JitterBuffer jitterBuffer = new JitterBuffer(2, 10);
    private final byte[] datagram = new byte[1500];
    private long n;

    @Benchmark
    public Object rtpParse(CpuTime cpu) {
        cpu.ops++;
        int len = BenchAudio.rtp(datagram, n++);
        return RtpParser.parse(datagram, 0, len);
    }

    @Benchmark
    public Object insertAndPoll(CpuTime cpu) {
        cpu.ops++;
        // Every other pair arrives swapped, so the reorder path is exercised.
        long seq = (n % 4 == 1) ? n + 1 : (n % 4 == 2) ? n - 1 : n;
        n++;
        int len = BenchAudio.rtp(datagram, seq);
        RtpPacket p = ((RtpParseResult.Parsed) RtpParser.parse(datagram, 0, len)).packet();
        jitterBuffer.insert(p);
        return jitterBuffer.poll();
    }
}
