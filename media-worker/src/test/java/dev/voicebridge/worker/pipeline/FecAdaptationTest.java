package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.audio.EnergyVad;
import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusDecoder;
import dev.voicebridge.media.rtp.ReportBlock;
import dev.voicebridge.media.rtp.RtcpCodec;
import dev.voicebridge.media.rtp.RtcpPacket;
import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.media.rtp.RtpParseResult;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.Signals;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The peer's RTCP loss reports about our stream steer the encoder's in-band FEC end to end: what
 * goes out on the wire carries LBRR while loss is reported and none on a clean path.
 */
class FecAdaptationTest {
    private static final int FRAME = 480;
    private final Harness h = new Harness();

    @Test
    void fecFollowsTheLossThePeerReportsAboutOurStream() {
        var out = new Harness.CapturingOutput();
        try (CallMedia call = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), out, 21)) {
            call.markAccepted();
            // speechLike is generated quiet (about -45 dBFS); x4 is a talker's level, so most frames are speech.
            call.agentOutput().enqueue("answer", Signals.gain(Signals.speechLike(21, 20_000), 4));

            // Until the first report: the configured initial budget, FEC coded.
            List<byte[]> initial = run(call, out, 0, 300);
            assertThat(call.stats().fecBudgetPercent()).isEqualTo(10);
            assertThat(call.stats().opusComplexity()).isEqualTo(2);

            // A report about someone else's stream changes nothing; a clean one about ours replaces
            // the initial guess.
            report(call, 0xBADL, 128);
            report(call, call.localSsrc(), 0);
            List<byte[]> clean = run(call, out, 300, 300);
            assertThat(call.stats().fecBudgetPercent()).isZero();
            assertThat(call.stats().opusComplexity()).isEqualTo(1);

            report(call, call.localSsrc(), 26); // 10 %
            List<byte[]> lossy = run(call, out, 600, 300);
            assertThat(call.stats().fecBudgetPercent()).isEqualTo(10);
            assertThat(call.stats().opusComplexity()).isEqualTo(2);

            double[] atStart = recovery(initial);
            double[] whenClean = recovery(clean);
            double[] whenLossy = recovery(lossy);
            System.out.printf(
                    "FEC vs PLC on single losses: initial %.3f/%.3f, clean %.3f/%.3f, lossy %.3f/%.3f%n",
                    atStart[0], atStart[1], whenClean[0], whenClean[1], whenLossy[0], whenLossy[1]);
            assertThat(atStart[0]).isGreaterThan(atStart[1] + 0.2);
            assertThat(whenLossy[0]).isGreaterThan(whenLossy[1] + 0.2);
            // No LBRR on the clean path: "FEC" decoding falls back to concealment.
            assertThat(Math.abs(whenClean[0] - whenClean[1])).isLessThan(0.01);
        }
    }

    private List<byte[]> run(CallMedia call, Harness.CapturingOutput out, long from, int ticks) {
        int before = out.rtp.size();
        for (long t = from; t < from + ticks; t++) {
            h.advance();
            Ticks.tick(call, t, h.nanos.get());
        }
        List<byte[]> payloads = new ArrayList<>();
        for (byte[] wire : out.rtp.subList(before, out.rtp.size())) {
            RtpPacket p = ((RtpParseResult.Parsed) RtpParser.parse(wire)).packet();
            payloads.add(p.payload());
        }
        return payloads;
    }

    private static void report(CallMedia call, long aboutSsrc, int fractionLost256) {
        byte[] rr = RtcpCodec.serialize(List.of(new RtcpPacket.ReceiverReport(
                0x5EED_0001L, List.of(new ReportBlock(aboutSsrc, fractionLost256, 0, 0, 0, 0, 0)))));
        call.onDatagram(rr, 0, rr.length);
    }

    /** Mean correlation with the lossless decode of frames lost one at a time: {FEC, PLC}. */
    private static double[] recovery(List<byte[]> packets) {
        int n = packets.size();
        boolean[] lost = new boolean[n];
        for (int i = 10; i < n - 1; i++) {
            lost[i] = i % 7 == 3;
        }
        short[] lossless = decode(packets, new boolean[n], false);
        short[] fec = decode(packets, lost, true);
        short[] plc = decode(packets, lost, false);
        double f = 0;
        double p = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (lost[i] && EnergyVad.rms(lossless, i * FRAME, FRAME) > 300) {
                f += AudioAnalysis.correlation(lossless, i * FRAME, fec, i * FRAME, FRAME);
                p += AudioAnalysis.correlation(lossless, i * FRAME, plc, i * FRAME, FRAME);
                count++;
            }
        }
        assertThat(count).as("lost speech frames").isGreaterThan(10);
        return new double[] {f / count, p / count};
    }

    private static short[] decode(List<byte[]> packets, boolean[] lost, boolean useFec) {
        short[] out = new short[packets.size() * FRAME];
        try (OpusDecoder dec = OpusCodecs.decoder()) {
            short[] pcm = new short[OpusDecoder.MAX_FRAME_SAMPLES];
            for (int i = 0; i < packets.size(); i++) {
                byte[] next = i + 1 < packets.size() ? packets.get(i + 1) : null;
                int got;
                if (!lost[i]) {
                    got = dec.decode(packets.get(i), 0, packets.get(i).length, pcm);
                } else if (useFec) {
                    got = dec.decodeFec(next, 0, next.length, pcm, FRAME);
                } else {
                    got = dec.conceal(pcm, FRAME);
                }
                assertThat(got).isEqualTo(FRAME);
                System.arraycopy(pcm, 0, out, i * FRAME, FRAME);
            }
        }
        return out;
    }
}
