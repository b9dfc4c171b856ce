package dev.voicebridge.media.rtp;

import java.util.List;

/** The RTCP packet types voicebridge sends and reads (RFC 3550 section 6); others are kept raw. */
public sealed interface RtcpPacket {
    int SR = 200;
    int RR = 201;
    int SDES = 202;
    int BYE = 203;

    /**
     * @param ntpTimestamp 64-bit NTP wallclock (RFC 3550 4)
     * @param rtpTimestamp the same instant on the RTP clock
     */
    record SenderReport(
            long ssrc,
            long ntpTimestamp,
            long rtpTimestamp,
            long packetCount,
            long octetCount,
            List<ReportBlock> reports)
            implements RtcpPacket {
        public SenderReport {
            reports = List.copyOf(reports);
        }
    }

    record ReceiverReport(long ssrc, List<ReportBlock> reports) implements RtcpPacket {
        public ReceiverReport {
            reports = List.copyOf(reports);
        }
    }

    /** SDES with the CNAME item per source (the only item RFC 3550 6.5 makes mandatory). */
    record SourceDescription(List<Chunk> chunks) implements RtcpPacket {
        public SourceDescription {
            chunks = List.copyOf(chunks);
        }

        public record Chunk(long ssrc, String cname) {}
    }

    record Goodbye(List<Long> ssrcs) implements RtcpPacket {
        public Goodbye {
            ssrcs = List.copyOf(ssrcs);
        }
    }

    /** Any other type (feedback, XR, APP): recognised as well-formed RTCP, content not interpreted. */
    record Other(int packetType, int count, int length) implements RtcpPacket {}
}
