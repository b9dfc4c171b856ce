package dev.voicebridge.testkit.phone;

/**
 * A load phone's send side (pacing thread): the next packet of its {@link LoadProfile#audio()}
 * loop each tick, noting when its talk spurts start, and its RTCP sender report when due — the
 * first half an interval after the first packet (RFC 3550 6.2), then every interval.
 */
final class LoadPlayer {
    private final LoadProfile profile;
    private final PhoneReception reception;
    private long frames;
    private long octets;
    private boolean marker;
    private long nextReportNanos;

    LoadPlayer(LoadProfile profile, PhoneReception reception) {
        this.profile = profile;
        this.reception = reception;
    }

    /** This tick's payload. */
    byte[] next(long nowNanos) {
        long n = profile.startFrame() + frames++;
        byte[] payload = profile.audio().packet(n);
        marker = profile.audio().onset(n);
        if (marker) {
            reception.onCallerOnset(nowNanos);
        }
        octets += payload.length;
        if (nextReportNanos == 0) {
            nextReportNanos = nowNanos + profile.rtcpInterval().toNanos() / 2;
        }
        return payload;
    }

    /** Whether this tick's packet starts a talk spurt. */
    boolean marker() {
        return marker;
    }

    /** The compound SR + SDES to send now, or null when none is due. */
    byte[] reportIfDue(long ssrc, long rtpTimestamp, long packetsSent, long nowNanos) {
        if (nowNanos - nextReportNanos < 0) {
            return null;
        }
        nextReportNanos = nowNanos + profile.rtcpInterval().toNanos();
        return reception.senderReport(ssrc, rtpTimestamp, packetsSent, octets, nowNanos);
    }
}
