package dev.voicebridge.worker.session;

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
 */
public record CallStats(
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
        MediaStats media,
        String endReason) {}
