package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.audio.EnergyVad;
import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusDecoder;
import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.media.codec.OpusEncoderSettings;
import dev.voicebridge.media.rtp.DtmfEncoder;
import dev.voicebridge.media.rtp.RtcpCodec;
import dev.voicebridge.media.rtp.RtcpMux;
import dev.voicebridge.media.rtp.RtcpPacket;
import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.media.rtp.RtpParseResult;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CallMediaTest {
    private final Harness h = new Harness();

    private static RtpPacket rtp(byte[] wire) {
        return ((RtpParseResult.Parsed) RtpParser.parse(wire)).packet();
    }

    @Test
    void holdsAllRtpUntilAcceptedThenSendsEveryTickEvenWhenTheAgentIsSilent() {
        var out = new Harness.CapturingOutput();
        try (CallMedia call = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), out, 1)) {
            call.agentOutput().enqueue("greeting", Signals.tone(440, 0.3, 200));
            for (long t = 0; t < 100; t++) {
                Ticks.tick(call, t, 0);
            }
            assertThat(out.rtp).isEmpty();
            assertThat(out.rtcp).isEmpty();
            assertThat(call.agentOutput().queuedMillis()).isEqualTo(200); // the greeting waits

            call.markAccepted();
            for (long t = 100; t < 400; t++) {
                Ticks.tick(call, t, 0);
            }
            assertThat(out.rtp).hasSize(300);
            MediaStats stats = call.stats();
            assertThat(stats.accepted()).isTrue();
            assertThat(stats.audioFramesOut()).isEqualTo(10);
            assertThat(stats.silenceFramesOut()).isEqualTo(290);
            assertThat(stats.packetsOut()).isEqualTo(300);
        }
    }

    @Test
    void anOutboundCallSendsWithThePayloadTypeAndWithinTheCapsOfThePeersAnswer() throws Exception {
        var out = new Harness.CapturingOutput();
        try (CallMedia call = new CallMedia(
                "wacid.out",
                MediaConfig.DEFAULTS,
                PeerMedia.OFFERED,
                new Harness.CapturingSink(),
                out,
                System::nanoTime,
                System::currentTimeMillis,
                new Random(3))) {
            OpusEncoderSettings offered = call.encoderSettings();
            assertThat(offered.bitrate()).isEqualTo(MediaConfig.DEFAULTS.bitrateCap());
            assertThat(offered.maxPlaybackRate()).isEqualTo(OpusEncoderSettings.MAX_PLAYBACK_RATE);

            String answer = String.join(
                            "\r\n",
                            "v=0",
                            "o=- 1700000000 2 IN IP4 127.0.0.1",
                            "s=-",
                            "t=0 0",
                            "a=ice-lite",
                            "m=audio 3480 UDP/TLS/RTP/SAVPF 109 126",
                            "c=IN IP4 192.0.2.10",
                            "a=candidate:1 1 udp 2122260223 192.0.2.10 3480 typ host",
                            "a=ice-ufrag:WaAn/",
                            "a=ice-pwd:c2VjcmV0LXdoYXRzYXBwLXB3ZA==",
                            "a=fingerprint:"
                                    + dev.voicebridge.media.dtls.Fingerprint.sha256Of(new byte[] {9})
                                            .toSdpValue(),
                            "a=setup:passive",
                            "a=sendrecv",
                            "a=rtcp-mux",
                            "a=rtpmap:109 opus/48000/2",
                            "a=fmtp:109 maxaveragebitrate=12000;maxplaybackrate=8000;useinbandfec=1",
                            "a=rtpmap:126 telephone-event/8000")
                    + "\r\n";
            call.peerAnswered(new dev.voicebridge.media.sdp.SdpParser()
                    .parseAnswer(answer)
                    .audio());

            OpusEncoderSettings capped = call.encoderSettings();
            assertThat(capped.bitrate()).isEqualTo(12_000);
            assertThat(capped.maxPlaybackRate()).isEqualTo(8_000);
            assertThat(capped.expectedLossPercent()).isEqualTo(offered.expectedLossPercent());
            call.markAccepted();
            call.agentOutput().enqueue("greeting", Signals.tone(440, 0.3, 1_000));
            for (long t = 0; t < 50; t++) {
                Ticks.tick(call, t, 0);
            }
            List<RtpPacket> packets = out.rtp.stream().map(CallMediaTest::rtp).toList();
            assertThat(packets).hasSize(50).allSatisfy(p -> assertThat(p.payloadType())
                    .isEqualTo(109));
            double bitsPerSecond = packets.stream()
                            .skip(5) // the encoder's first frames
                            .mapToInt(p -> p.payload().length)
                            .average()
                            .orElseThrow()
                    * 8
                    * 50;
            assertThat(bitsPerSecond)
                    .as("the tone's bitrate within the answer's 12 kb/s (uncapped: the worker's cap)")
                    .isLessThan(13_500);
        }
    }

    @Test
    void timestampsAdvance960PerFrameAndTheMarkerFlagsEachTalkSpurt() {
        var out = new Harness.CapturingOutput();
        try (CallMedia call = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), out, 2)) {
            call.markAccepted();
            long t = 0;
            for (; t < 5; t++) {
                Ticks.tick(call, t, 0); // silence
            }
            call.agentOutput().enqueue("a", new short[480 * 3]);
            for (; t < 10; t++) {
                Ticks.tick(call, t, 0); // 3 audio frames, then silence
            }
            call.agentOutput().enqueue("b", new short[480 * 2]);
            for (; t < 14; t++) {
                Ticks.tick(call, t, 0);
            }
            List<RtpPacket> packets = out.rtp.stream().map(CallMediaTest::rtp).toList();
            assertThat(packets).hasSize(14);
            for (int i = 1; i < packets.size(); i++) {
                RtpPacket prev = packets.get(i - 1);
                RtpPacket p = packets.get(i);
                assertThat((p.timestamp() - prev.timestamp()) & 0xFFFF_FFFFL).isEqualTo(960);
                assertThat((p.sequenceNumber() - prev.sequenceNumber()) & 0xFFFF)
                        .isEqualTo(1);
                assertThat(p.ssrc()).isEqualTo(call.localSsrc());
                assertThat(p.payloadType()).isEqualTo(111);
            }
            List<Integer> markers = new ArrayList<>();
            for (int i = 0; i < packets.size(); i++) {
                if (packets.get(i).marker()) {
                    markers.add(i);
                }
            }
            assertThat(markers).containsExactly(0, 5, 10); // stream start, then each talk spurt
        }
    }

    @Test
    void aLongPauseRepeatsTheEncodersOwnSilencePacketAndSpeechResumesCleanly() {
        var out = new Harness.CapturingOutput();
        try (CallMedia call = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), out, 12);
                OpusDecoder dec = OpusCodecs.decoder()) {
            call.markAccepted();
            call.agentOutput().enqueue("a", Signals.tone(500, 0.3, 400));
            for (long t = 0; t < 80; t++) {
                Ticks.tick(call, t, 0);
            }
            call.agentOutput().enqueue("b", Signals.tone(500, 0.3, 400));
            for (long t = 80; t < 100; t++) {
                Ticks.tick(call, t, 0);
            }
            List<byte[]> payloads = out.rtp.stream().map(w -> rtp(w).payload()).toList();
            // The encoder runs only the first 60 ms of the pause (its output has settled by then:
            // each of those frames costs about as much as speech); every later silence packet is
            // the same bytes.
            int firstCached = 20 + 3;
            for (int i = firstCached; i < 80; i++) {
                assertThat(payloads.get(i)).isEqualTo(payloads.get(firstCached - 1));
            }
            // Everything decodes: silence to near-zero, the resumed tone to the tone.
            short[] pcm = new short[OpusDecoder.MAX_FRAME_SAMPLES];
            short[] heard = new short[payloads.size() * 480];
            for (int i = 0; i < payloads.size(); i++) {
                byte[] p = payloads.get(i);
                assertThat(dec.decode(p, 0, p.length, pcm)).isEqualTo(480);
                System.arraycopy(pcm, 0, heard, i * 480, 480);
            }
            assertThat(EnergyVad.rms(heard, firstCached * 480, (79 - firstCached) * 480))
                    .isLessThan(5);
            assertThat(AudioAnalysis.dominantFrequency(heard, 84 * 480, 14 * 480, 24_000))
                    .isBetween(495.0, 505.0);
        }
    }

    @Test
    void skippedPacerTicksStillAdvanceTheRtpClock() {
        var out = new Harness.CapturingOutput();
        try (CallMedia call = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), out, 3)) {
            call.markAccepted();
            Ticks.tick(call, 0, 0);
            Ticks.tick(call, 5, 0);
            assertThat((rtp(out.rtp.get(1)).timestamp() - rtp(out.rtp.get(0)).timestamp()) & 0xFFFF_FFFFL)
                    .isEqualTo(5 * 960);
        }
    }

    @Test
    void flushTakesEffectWithinOneTickAndReportsWhatWasSent() {
        var out = new Harness.CapturingOutput();
        try (CallMedia call = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), out, 4)) {
            call.markAccepted();
            call.agentOutput().enqueue("answer", Signals.tone(300, 0.3, 2000));
            for (long t = 0; t < 25; t++) {
                Ticks.tick(call, t, 0);
            }
            AgentAudioOutput.Flushed flushed = call.agentOutput().flush();
            assertThat(flushed.itemId()).isEqualTo("answer");
            assertThat(flushed.playedMillis()).isBetween(480, 520); // 25 frames sent, ±1 frame
            assertThat(flushed.playedMillis() + flushed.droppedMillis()).isEqualTo(2000);
            long audioBefore = call.stats().audioFramesOut();
            Ticks.tick(call, 25, 0);
            assertThat(call.stats().audioFramesOut()).isEqualTo(audioBefore); // next tick is silence
            // And that packet really decodes to silence.
            try (OpusDecoder dec = OpusCodecs.decoder()) {
                short[] pcm = new short[OpusDecoder.MAX_FRAME_SAMPLES];
                byte[] payload = rtp(out.rtp.getLast()).payload();
                assertThat(dec.decode(payload, 0, payload.length, pcm)).isEqualTo(480);
            }
        }
    }

    @Test
    void aToneSurvivesLossAndReorderingEndToEnd() {
        var wire = new Harness.CapturingOutput();
        var sink = new Harness.CapturingSink();
        short[] tone = Signals.tone(700, 0.4, 5000);
        var random = new Random(11);
        try (CallMedia sender = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), wire, 5);
                CallMedia receiver = h.call(MediaConfig.DEFAULTS, sink, new Harness.CapturingOutput(), 6)) {
            sender.markAccepted();
            sender.agentOutput().enqueue("tone", tone);
            // Each packet is delivered 0..50 ms late (so neighbours reorder), 5 % never arrive.
            List<List<byte[]>> deliveries = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                deliveries.add(new ArrayList<>());
            }
            int dropped = 0;
            for (int t = 0; t < 300; t++) {
                Ticks.tick(sender, t, 0);
                byte[] packet = wire.rtp.getLast();
                if (t > 0 && random.nextDouble() < 0.05) {
                    dropped++;
                    continue;
                }
                deliveries.get(t + random.nextInt(3)).add(packet);
            }
            for (int t = 0; t < 310; t++) {
                for (byte[] p : deliveries.get(t)) {
                    receiver.onDatagram(p, 0, p.length);
                }
                h.advance();
                Ticks.tick(receiver, t, 0);
            }
            short[] heard = sink.pcm();
            MediaStats stats = receiver.stats();
            System.out.printf("dropped=%d stats=%s%n", dropped, stats);

            assertThat(AudioAnalysis.dominantFrequency(heard, 24_000, 48_000, 24_000))
                    .isBetween(695.0, 705.0);
            var alignment = AudioAnalysis.align(tone, heard, 4_800);
            System.out.printf(
                    "alignment lag=%d samples correlation=%.3f%n", alignment.lagSamples(), alignment.correlation());
            assertThat(alignment.correlation()).isGreaterThan(0.8);
            // The sink starts at the first played frame, so the lag is codec delay, not buffering.
            assertThat(alignment.lagSamples()).isLessThan(24 * 40);
            assertThat(stats.packetsLost()).isEqualTo(dropped);
            assertThat(stats.concealedMillis()).isGreaterThanOrEqualTo(dropped * 20L / 2);
            assertThat(stats.fecFrames() + stats.plcFrames()).isPositive();
            assertThat(stats.packetsIn()).isEqualTo(300 - dropped);
            assertThat(sink.concealed.stream().filter(c -> c).count()).isEqualTo(stats.fecFrames() + stats.plcFrames());
        }
    }

    @Test
    void dtmfDigitsArriveOncePerKeyPressAndTheirSlotsAreNotLosses() {
        var sink = new Harness.CapturingSink();
        try (CallMedia call = h.call(MediaConfig.DEFAULTS, sink, new Harness.CapturingOutput(), 7)) {
            byte[] opus = new byte[OpusEncoder.MAX_PACKET_BYTES];
            int opusLen;
            try (OpusEncoder enc = OpusCodecs.encoder(new OpusEncoderSettings(20_000, true, 10, -1))) {
                opusLen = enc.encodeSilence(opus, 0);
            }
            int seq = 1000;
            long ts = 50_000;
            long tick = 0;
            for (char digit : "42#".toCharArray()) {
                for (int i = 0; i < 5; i++) {
                    deliver(call, new RtpPacket(false, 111, seq++, ts, 9, Arrays.copyOf(opus, opusLen)));
                    ts += 960;
                    Ticks.tick(call, tick++, 0);
                }
                for (DtmfEncoder.EventPacket e : DtmfEncoder.keyPress(digit, 100, 8000, 10)) {
                    deliver(call, new RtpPacket(e.marker(), 126, seq++, ts, 9, e.payload()));
                    Ticks.tick(call, tick++, 0);
                }
                ts += 960 * 8;
            }
            // Taken before the stream ends: trailing ticks would rightly conceal an underrun.
            MediaStats stats = call.stats();
            assertThat(sink.digits.toString()).isEqualTo("42#");
            assertThat(stats.dtmfDigits()).isEqualTo(3);
            assertThat(stats.packetsLost()).isZero();
            assertThat(stats.plcFrames()).isZero();
        }
    }

    private static void deliver(CallMedia call, RtpPacket p) {
        byte[] wire = p.toBytes();
        call.onDatagram(wire, 0, wire.length);
    }

    @Test
    void sendsSrWithSdesCnameAboutFiveSecondsApartOnceAccepted() {
        var out = new Harness.CapturingOutput();
        try (CallMedia call = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), out, 8)) {
            call.markAccepted();
            for (long t = 0; t < 800; t++) {
                h.advance();
                Ticks.tick(call, t, 0);
            }
            assertThat(out.rtcp).hasSize(3); // at 2.5 s, 7.5 s, 12.5 s
            byte[] first = out.rtcp.getFirst();
            assertThat(RtcpMux.isRtcp(first, 0, first.length)).isTrue();
            var parsed = (RtcpCodec.RtcpParseResult.Parsed) RtcpCodec.parse(first, 0, first.length);
            var sr = (RtcpPacket.SenderReport) parsed.packets().get(0);
            assertThat(sr.ssrc()).isEqualTo(call.localSsrc());
            assertThat(sr.packetCount()).isEqualTo(126);
            var sdes = (RtcpPacket.SourceDescription) parsed.packets().get(1);
            assertThat(sdes.chunks())
                    .containsExactly(new RtcpPacket.SourceDescription.Chunk(call.localSsrc(), call.cname()));
            assertThat(call.stats().rtcpOut()).isEqualTo(3);
        }
    }

    @Test
    void rtcpBetweenTwoCallsReportsLossAndRoundTrip() {
        var aOut = new Harness.CapturingOutput();
        var bOut = new Harness.CapturingOutput();
        try (CallMedia a = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), aOut, 13);
                CallMedia b = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), bOut, 14)) {
            a.markAccepted();
            b.markAccepted();
            int aSent = 0;
            int bSent = 0;
            int lostToB = 0;
            for (long t = 0; t < 900; t++) {
                h.advance();
                Ticks.tick(a, t, 0);
                Ticks.tick(b, t, 0);
                for (; aSent < aOut.rtp.size(); aSent++) {
                    if (aSent % 25 == 3) {
                        lostToB++; // 4 % of A's RTP never reaches B
                        continue;
                    }
                    b.onDatagram(aOut.rtp.get(aSent), 0, aOut.rtp.get(aSent).length);
                }
                for (; bSent < bOut.rtp.size(); bSent++) {
                    a.onDatagram(bOut.rtp.get(bSent), 0, bOut.rtp.get(bSent).length);
                }
                aOut.rtcp.forEach(p -> b.onDatagram(p, 0, p.length));
                bOut.rtcp.forEach(p -> a.onDatagram(p, 0, p.length));
                aOut.rtcp.clear();
                bOut.rtcp.clear();
            }
            MediaStats sa = a.stats();
            MediaStats sb = b.stats();
            assertThat(sa.rtcpIn()).isGreaterThanOrEqualTo(3);
            assertThat(sb.rtcpIn()).isGreaterThanOrEqualTo(3);
            // Delivery is instantaneous on the manual clock, so the round trip is ~0 (ms rounding).
            assertThat(sa.roundTripMillis()).isBetween(0.0, 2.0);
            assertThat(sb.packetsLost()).isEqualTo(lostToB);
            assertThat(sb.fractionLost()).isBetween(0.03, 0.05);
            assertThat(sa.packetsLost()).isZero();
        }
    }

    @Test
    void garbageDatagramsAreCountedAndNeverBreakTheCall() {
        var out = new Harness.CapturingOutput();
        try (CallMedia call = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), out, 9)) {
            call.markAccepted();
            var random = new Random(5);
            for (int i = 0; i < 100_000; i++) {
                byte[] d = new byte[random.nextInt(200)];
                random.nextBytes(d);
                call.onDatagram(d, 0, d.length);
                if (i % 1000 == 0) {
                    Ticks.tick(call, i / 1000, 0);
                }
            }
            MediaStats stats = call.stats();
            assertThat(stats.malformedIn() + stats.droppedIn() + stats.unknownPayloadIn())
                    .isPositive();
            assertThat(out.rtp).hasSize(100);
        }
    }

    @Test
    void afterCloseNothingIsSentAndCodecsAreFreed() {
        var out = new Harness.CapturingOutput();
        CallMedia call = h.call(MediaConfig.DEFAULTS, new Harness.CapturingSink(), out, 10);
        var pacer = new Pacer("media-pacer-test", h.nanos::get, 5, 5);
        call.start(pacer);
        call.markAccepted();
        pacer.runDue(pacer.dueNanos(3));
        assertThat(out.rtp).hasSize(4);
        call.close();
        call.close();
        assertThat(pacer.registered()).isZero();
        Ticks.tick(call, 99, 0);
        assertThat(out.rtp).hasSize(4);
        assertThat(call.toString())
                .contains(
                        "CallerToAgent[",
                        "JitterBuffer(",
                        "OpusDecode",
                        "AgentToCaller[",
                        "PlayoutQueue",
                        "RtpOutput",
                        "20000 b/s",
                        "complexity=2", // the FEC complexity: the initial budget (10 %) codes FEC
                        "FecTuner(budget=10%");
    }
}
