package dev.voicebridge.worker.webrtc;

import dev.voicebridge.media.srtp.SrtpStats;
import dev.voicebridge.worker.ice.IceStats;
import dev.voicebridge.worker.pipeline.MediaStats;

/**
 * A snapshot of one call's transport, for status writing and metrics.
 *
 * @param iceMillis session start to nominated pair, -1 until then
 * @param dtlsMillis DTLS handshake duration, -1 until done
 * @param srtpProfile negotiated profile, null until DTLS is up
 * @param rtpHeldBeforeAccept RTP packets the send path offered before accept (not sent)
 * @param mailboxDrops datagrams dropped because the call's mailbox was full
 * @param media the audio pipeline's counters (loss, jitter, concealment...), null without pipeline
 * @param dtlsDrops DTLS records dropped because the handshake queue was full or closed
 * @param dtlsResendMillis the handshake's initial resend timer (from the ICE round trip), -1
 *     before DTLS started
 * @param dtlsRetransmissions handshake datagrams we sent again (the peer lost them, or was not
 *     ready for them yet)
 */
public record TransportStats(
        String callId,
        String state,
        IceStats ice,
        long iceMillis,
        long dtlsMillis,
        String srtpProfile,
        SrtpStats srtp,
        long rtpSent,
        long rtcpSent,
        long rtpReceived,
        long rtcpReceived,
        long rtpHeldBeforeAccept,
        long mailboxDrops,
        long dtlsDrops,
        long dtlsResendMillis,
        long dtlsRetransmissions,
        MediaStats media,
        String endReason) {}
