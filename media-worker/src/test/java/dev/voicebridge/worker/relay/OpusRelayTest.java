package dev.voicebridge.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.rtp.DtmfEncoder;
import dev.voicebridge.media.rtp.ReportBlock;
import dev.voicebridge.media.rtp.RtcpCodec;
import dev.voicebridge.media.rtp.RtcpPacket;
import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.media.rtp.RtpParseResult;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.worker.pipeline.Harness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The relay's legs without a network: forwarding, the accept gate, and each leg's receiver reports. */
class OpusRelayTest {
    private static final long S = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(100 * S);
    private final OpusRelay relay = new OpusRelay(111, 111, now::get);
    private final Harness.CapturingOutput toCaller = new Harness.CapturingOutput();
    private final Harness.CapturingOutput toModel = new Harness.CapturingOutput();

    private static void arrive(dev.voicebridge.worker.pipeline.MediaHandler leg, int pt, int seq, long ssrc) {
        byte[] p = new RtpPacket(false, pt, seq, seq * 960L, ssrc, new byte[] {1, 2, 3}).toBytes();
        leg.onRtp(p, 0, p.length);
    }

    @Test
    void eachLegReportsWhatItReceivedOnceAnIntervalPassedAndOnlyOnceAccepted() {
        relay.callerLeg().onTransportReady(toCaller);
        relay.modelLeg().onTransportReady(toModel);
        relay.modelLeg().markAccepted();
        // The caller's packets 1..20 with 5 and 6 lost; 6 s pass. The caller's leg is not accepted.
        for (int seq = 1; seq <= 20; seq++) {
            if (seq != 5 && seq != 6) {
                arrive(relay.callerLeg(), 111, seq, 0xCA11);
                now.addAndGet(S / 50);
            }
        }
        now.addAndGet(6 * S);
        arrive(relay.callerLeg(), 111, 21, 0xCA11);
        assertThat(toModel.rtp).as("the model hears the caller").hasSize(19);
        assertThat(toCaller.rtcp).as("no RTCP to a caller not accepted yet").isEmpty();

        relay.callerLeg().markAccepted();
        now.addAndGet(S / 50);
        arrive(relay.callerLeg(), 111, 22, 0xCA11);
        assertThat(toCaller.rtcp).hasSize(1);
        var compound = ((RtcpCodec.RtcpParseResult.Parsed)
                        RtcpCodec.parse(toCaller.rtcp.get(0), 0, toCaller.rtcp.get(0).length))
                .packets();
        var rr = (RtcpPacket.ReceiverReport) compound.get(0);
        assertThat(rr.ssrc()).isEqualTo(relay.callerLeg().localSsrc());
        var block = rr.reports().get(0);
        assertThat(block.ssrc()).isEqualTo(0xCA11);
        assertThat(block.cumulativeLost()).isEqualTo(2);
        assertThat(block.extendedHighestSequence()).isEqualTo(22);
        assertThat(block.fractionLost()).isEqualTo((2 << 8) / 22);
        assertThat(compound.get(1)).isInstanceOf(RtcpPacket.SourceDescription.class);

        // The next report waits for the next interval.
        now.addAndGet(S);
        arrive(relay.callerLeg(), 111, 23, 0xCA11);
        assertThat(toCaller.rtcp).hasSize(1);
        assertThat(relay.stats().reportsToCaller()).isEqualTo(1);
        assertThat(relay.stats().reportsToModel()).isZero();
        assertThat(toModel.rtcp).isEmpty();
    }

    @Test
    void theCallersKeysGoToTheAgentOncePerPressAndItsLegReportsWhatCrossed() {
        var keys = new ArrayList<Character>();
        relay.hearCallerKeys(126, keys::add);
        relay.callerLeg().onTransportReady(toCaller);
        relay.modelLeg().onTransportReady(toModel);
        relay.modelLeg().markAccepted();
        relay.callerLeg().markAccepted();
        int seq = 1;
        for (char key : new char[] {'4', '2'}) {
            long timestamp = seq * 960L; // one event: its packets share the timestamp
            for (var e : DtmfEncoder.keyPress(key, 100, 48_000, 10)) {
                byte[] p = new RtpPacket(e.marker(), 126, seq++, timestamp, 0xCA11, e.payload()).toBytes();
                relay.callerLeg().onRtp(p, 0, p.length);
            }
        }
        arrive(relay.callerLeg(), 111, seq++, 0xCA11);
        arrive(relay.callerLeg(), 111, seq + 1, 0xCA11); // one lost
        arrive(relay.modelLeg(), 111, 1, 0x0A1);

        assertThat(keys).containsExactly('4', '2');
        assertThat(toModel.rtp).as("the model hears no tones").hasSize(2);
        var caller = relay.callerLeg().stats();
        assertThat(caller.dtmfDigits()).isEqualTo(2);
        assertThat(caller.packetsIn()).isEqualTo(2);
        assertThat(caller.packetsLost()).isEqualTo(1);
        assertThat(caller.packetsOut())
                .as("the model's packet, sent to the caller")
                .isEqualTo(1);
        assertThat(caller.accepted()).isTrue();
        assertThat(relay.modelLeg().stats().packetsOut()).isEqualTo(2);
    }

    @Test
    void aHeldGreetingStartsAtReleaseWithoutTheQuietBeforeItAndTheCallerCatchesUp() {
        relay.callerLeg().onTransportReady(toCaller);
        relay.modelLeg().onTransportReady(toModel);
        arriveFromModel(1, 8); // quiet before hold: dropped, the caller is not accepted
        relay.holdForCaller();
        for (int seq = 2; seq <= 5; seq++) {
            arriveFromModel(seq, 8); // the model's quiet while it prepares the greeting
        }
        for (int seq = 6; seq <= 15; seq++) {
            arriveFromModel(seq, 60); // the greeting
        }
        relay.callerLeg().markAccepted();
        arriveFromModel(16, 60); // accepted, but the lead-in has not passed: still held
        assertThat(toCaller.rtp).isEmpty();
        assertThat(relay.stats().heldForCaller()).isEqualTo(1);

        relay.releaseToCaller();
        // 11 greeting packets held (6..16), the quiet before them gone: two out per arrival.
        var sent = new ArrayList<Integer>();
        for (int seq = 17; seq <= 40; seq++) {
            arriveFromModel(seq, 60);
            sent.add(toCaller.rtp.size());
        }
        var first = packet(toCaller.rtp.get(0));
        assertThat(first.payload()).hasSize(60);
        assertThat(sent.subList(0, 3)).containsExactly(2, 4, 6);
        // caught up after 11 arrivals (22 packets out: the 11 held and the 11 that came), then one each
        assertThat(sent.get(10)).isEqualTo(22);
        assertThat(sent.get(11)).isEqualTo(23);
        assertThat(toCaller.rtp).hasSize(35); // seq 6..40, in order, none lost
        for (int i = 1; i < toCaller.rtp.size(); i++) {
            assertThat(packet(toCaller.rtp.get(i)).sequenceNumber()).isEqualTo((first.sequenceNumber() + i) & 0xFFFF);
        }
    }

    private static RtpPacket packet(byte[] datagram) {
        return ((RtpParseResult.Parsed) RtpParser.parse(datagram)).packet();
    }

    private void arriveFromModel(int seq, int payloadBytes) {
        byte[] p = new RtpPacket(false, 111, seq, seq * 960L, 0x0A1, new byte[payloadBytes]).toBytes();
        relay.modelLeg().onRtp(p, 0, p.length);
    }

    @Test
    void otherPayloadTypesStayOnTheirLegAndCountNoReception() {
        relay.callerLeg().onTransportReady(toCaller);
        relay.modelLeg().onTransportReady(toModel);
        relay.modelLeg().markAccepted();
        relay.callerLeg().markAccepted();
        arrive(relay.callerLeg(), 126, 1, 0xCA11); // a telephone event
        arrive(relay.callerLeg(), 111, 2, 0xCA11);
        assertThat(toModel.rtp).hasSize(1);
        assertThat(relay.stats().otherPayload()).isEqualTo(1);
        assertThat(relay.stats().toModel()).isEqualTo(1);
    }

    /** The caller's receiver report about the model's audio, as the caller's leg gets it. */
    private void callerReports(long aboutSsrc, int fractionLost, int cumulativeLost, long jitter) {
        byte[] rr = RtcpCodec.serialize(List.of(new RtcpPacket.ReceiverReport(
                0xCA11, List.of(new ReportBlock(aboutSsrc, fractionLost, cumulativeLost, 7, jitter, 0, 0)))));
        relay.callerLeg().onRtcp(rr, 0, rr.length);
    }

    /**
     * The model's packets {@code first..first+19} with the fifth lost, an interval later one more:
     * the model leg's report about them, sent to {@code out}.
     */
    private static ReportBlock modelReportAfterAnInterval(
            OpusRelay r, Harness.CapturingOutput out, AtomicLong clock, int first) {
        for (int seq = first; seq <= first + 20; seq++) {
            if (seq == first + 20) {
                clock.addAndGet(6 * S);
            }
            if (seq != first + 4) {
                byte[] p = new RtpPacket(false, 111, seq, seq * 960L, 0x0A1, new byte[40]).toBytes();
                r.modelLeg().onRtp(p, 0, p.length);
                clock.addAndGet(S / 50);
            }
        }
        byte[] last = out.rtcp.getLast();
        var compound = ((RtcpCodec.RtcpParseResult.Parsed) RtcpCodec.parse(last, 0, last.length)).packets();
        return ((RtcpPacket.ReceiverReport) compound.get(0)).reports().get(0);
    }

    @Test
    void theModelsReportsCarryTheLossTheCallerReportsOnTheWayToIt() {
        // The same packets through a relay whose caller never reports: the model leg's own hop.
        var alone = new AtomicLong(now.get());
        var own = new OpusRelay(111, 111, alone::get);
        var ownOut = new Harness.CapturingOutput();
        for (var r : List.of(relay, own)) {
            r.callerLeg().onTransportReady(r == relay ? toCaller : new Harness.CapturingOutput());
            r.modelLeg().onTransportReady(r == relay ? toModel : ownOut);
            r.callerLeg().markAccepted();
            r.modelLeg().markAccepted();
        }
        // The caller lost a quarter of the model's audio (its mobile hop), jitter 10 ms at 48 kHz;
        // a block about a stream that is not ours is not read.
        callerReports(0xBAD, 200, 999, 9_999);
        callerReports(relay.callerLeg().localSsrc(), 64, 30, 480);
        assertThat(relay.callerLeg().stats().rtcpIn()).isEqualTo(2);

        ReportBlock block = modelReportAfterAnInterval(relay, toModel, now, 1);
        ReportBlock hop = modelReportAfterAnInterval(own, ownOut, alone, 1);
        assertThat(hop.fractionLost()).as("one of 21 lost on the model's hop").isEqualTo((1 << 8) / 21);
        assertThat(block.ssrc()).isEqualTo(0x0A1);
        assertThat(block.fractionLost()).isEqualTo(hop.fractionLost() + 64 - hop.fractionLost() * 64 / 256);
        assertThat(block.cumulativeLost()).isEqualTo(1 + 30);
        assertThat(block.extendedHighestSequence())
                .as("the model's own numbering")
                .isEqualTo(21);
        assertThat(block.jitter()).isEqualTo(hop.jitter() + 480);

        // The caller stops reporting: three intervals on, its old loss no longer speaks for its hop.
        now.addAndGet(OpusRelay.FAR_REPORT_TTL_NANOS);
        block = modelReportAfterAnInterval(relay, toModel, now, 22);
        assertThat(block.fractionLost()).isEqualTo((1 << 8) / 21);
        assertThat(block.cumulativeLost()).isEqualTo(2);
    }

    @Test
    void aCallersRtcpThatDoesNotParseIsCountedAndChangesNothing() {
        byte[] garbage = {(byte) 0x81, (byte) 201, 0, 7, 1, 2};
        relay.callerLeg().onRtcp(garbage, 0, garbage.length);
        assertThat(relay.callerLeg().stats().rtcpIn()).isEqualTo(1);
        assertThat(OpusRelay.endToEnd(new ReportBlock(1, 10, 2, 3, 4, 5, 6), null))
                .isEqualTo(new ReportBlock(1, 10, 2, 3, 4, 5, 6));
        assertThat(OpusRelay.endToEnd(
                        new ReportBlock(1, 255, 0x7FFFFF, 3, 4, 5, 6), new ReportBlock(9, 255, 0x7FFFFF, 0, 8, 0, 0)))
                .isEqualTo(new ReportBlock(1, 255, 0x7FFFFF, 3, 12, 5, 6));
    }
}
