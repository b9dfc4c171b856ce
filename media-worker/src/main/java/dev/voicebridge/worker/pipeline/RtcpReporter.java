package dev.voicebridge.worker.pipeline;

import dev.voicebridge.media.rtp.NtpTime;
import dev.voicebridge.media.rtp.ReceptionStatistics;
import dev.voicebridge.media.rtp.ReportBlock;
import dev.voicebridge.media.rtp.RtcpCodec;
import dev.voicebridge.media.rtp.RtcpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * RTCP for the call (RFC 3550 6): an SR about what we sent with a report block about what we
 * received, plus SDES CNAME, every interval once the call is accepted; incoming SRs feed LSR/DLSR
 * and incoming report blocks about us give the round-trip time and the loss our encoder's FEC
 * follows ({@link FecTuner}). Pacer thread only.
 */
final class RtcpReporter {
    private final long ssrc;
    private final String cname;
    private final int intervalTicks;
    private final RtpPacketizer packetizer;
    private final ReceptionStatistics reception;
    private final RtpOutput output;
    private final LongSupplier epochMillis;
    private final IntConsumer peerLossReports;
    private long nextTick = -1;
    private long sent;
    private long received;
    private double fractionLost;
    private double roundTripMillis = -1;

    RtcpReporter(
            long ssrc,
            String cname,
            int intervalTicks,
            RtpPacketizer packetizer,
            ReceptionStatistics reception,
            RtpOutput output,
            LongSupplier epochMillis,
            IntConsumer peerLossReports) {
        this.ssrc = ssrc;
        this.cname = cname;
        this.intervalTicks = intervalTicks;
        this.packetizer = packetizer;
        this.reception = reception;
        this.output = output;
        this.epochMillis = epochMillis;
        this.peerLossReports = peerLossReports;
    }

    /** After the tick's RTP went out (so the SR's RTP timestamp is that packet's). */
    void maybeSend(long tick, long nowNanos) {
        if (!packetizer.sentAny()) {
            return;
        }
        if (nextTick < 0) {
            // RFC 3550 6.2: the first report goes out after half an interval.
            nextTick = tick + Math.max(1, intervalTicks / 2);
            return;
        }
        if (tick < nextTick) {
            return;
        }
        nextTick = tick + intervalTicks;
        List<ReportBlock> blocks = new ArrayList<>(1);
        if (reception.hasSource()) {
            ReportBlock block = reception.reportBlock(nowNanos);
            fractionLost = block.fractionLost() / 256.0;
            blocks.add(block);
        }
        long ntp = NtpTime.fromEpochMillis(epochMillis.getAsLong());
        byte[] compound = RtcpCodec.serialize(List.of(
                new RtcpPacket.SenderReport(
                        ssrc,
                        ntp,
                        packetizer.timestamp(),
                        packetizer.packets() & 0xFFFF_FFFFL,
                        packetizer.payloadOctets() & 0xFFFF_FFFFL,
                        blocks),
                new RtcpPacket.SourceDescription(List.of(new RtcpPacket.SourceDescription.Chunk(ssrc, cname)))));
        output.sendRtcp(compound, 0, compound.length);
        sent++;
    }

    /**
     * @param arrivalNanos when the transport handed the packet over (the RTT's end point)
     * @param nowNanos the same clock now, up to one tick later
     */
    void onReceived(List<RtcpPacket> packets, long arrivalNanos, long nowNanos) {
        received++;
        long arrivalEpochMillis = epochMillis.getAsLong() - Math.max(0, nowNanos - arrivalNanos) / 1_000_000L;
        for (RtcpPacket p : packets) {
            switch (p) {
                case RtcpPacket.SenderReport sr -> {
                    if (sr.ssrc() == reception.ssrc()) {
                        reception.onSenderReport(sr.ntpTimestamp(), arrivalNanos);
                    }
                    aboutUs(sr.reports(), arrivalEpochMillis);
                }
                case RtcpPacket.ReceiverReport rr -> aboutUs(rr.reports(), arrivalEpochMillis);
                default -> {}
            }
        }
    }

    private void aboutUs(List<ReportBlock> blocks, long arrivalEpochMillis) {
        for (ReportBlock b : blocks) {
            if (b.ssrc() != ssrc) {
                continue;
            }
            peerLossReports.accept(b.fractionLost());
            if (b.lastSr() != 0) {
                // RFC 3550 6.4.1: RTT = A - LSR - DLSR, in 1/65536 s on the middle 32 NTP bits.
                long a = NtpTime.middle32(NtpTime.fromEpochMillis(arrivalEpochMillis));
                long rtt = (a - b.lastSr() - b.delaySinceLastSr()) & 0xFFFF_FFFFL;
                if (rtt < 0x8000_0000L) {
                    roundTripMillis = rtt * 1000.0 / 65536.0;
                }
            }
        }
    }

    long sent() {
        return sent;
    }

    long received() {
        return received;
    }

    double fractionLost() {
        return fractionLost;
    }

    double roundTripMillis() {
        return roundTripMillis;
    }

    @Override
    public String toString() {
        return "RtcpReporter(SR+SDES every " + intervalTicks * MediaConfig.FRAME_MILLIS + "ms)";
    }
}
