package dev.voicebridge.worker.calls;

import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.worker.pipeline.MediaStats;
import dev.voicebridge.worker.webrtc.TransportStats;

/** Maps the transport's and pipeline's figures onto the worker's {@code status.media} part. */
final class MediaStatusMapper {
    private MediaStatusMapper() {}

    static MediaStatus toStatus(TransportStats stats) {
        var media = new MediaStatus();
        media.setIceState(stats.ice() == null ? null : title(stats.ice().state()));
        media.setDtlsState(dtlsState(stats));
        media.setSelectedPair(stats.ice() == null ? null : stats.ice().selectedPair());
        media.setIceMillis(stats.iceMillis() < 0 ? null : stats.iceMillis());
        media.setDtlsMillis(stats.dtlsMillis() < 0 ? null : stats.dtlsMillis());
        media.setSrtpProfile(stats.srtpProfile());
        if (stats.srtp() != null) {
            media.setSrtpAuthFailures(stats.srtp().authFailures());
        }
        MediaStats m = stats.media();
        if (m != null) {
            media.setPacketsIn(m.packetsIn());
            media.setBytesIn(m.bytesIn());
            media.setPacketsOut(m.packetsOut());
            media.setBytesOut(m.bytesOut());
            media.setPacketsLost(Math.max(0, m.packetsLost()));
            long expected = m.packetsIn() + Math.max(0, m.packetsLost());
            media.setLossPercent(expected == 0 ? 0.0 : round2(100.0 * Math.max(0, m.packetsLost()) / expected));
            media.setJitterMillis(round2(m.jitterMillis()));
            media.setLatePackets(m.latePackets());
            media.setDuplicatePackets(m.duplicatePackets());
            media.setConcealedMillis(m.concealedMillis());
            media.setJitterBufferMillis(m.jitterBufferDepthMillis());
        }
        return media;
    }

    /** DTLS is up once an SRTP profile was negotiated; the session state tells the rest. */
    private static String dtlsState(TransportStats stats) {
        if ("ENDED".equals(stats.state())) {
            return "Closed";
        }
        if (stats.srtpProfile() != null) {
            return "Connected";
        }
        return "CONNECTING_DTLS".equals(stats.state()) ? "Connecting" : "New";
    }

    private static String title(String state) {
        if (state == null || state.isEmpty()) {
            return state;
        }
        String lower = state.toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
