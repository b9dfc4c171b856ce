package dev.voicebridge.worker.webrtc;

import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.pipeline.CallMedia;
import dev.voicebridge.worker.pipeline.MediaConfig;
import dev.voicebridge.worker.pipeline.MediaStats;
import dev.voicebridge.worker.pipeline.Pacer;
import dev.voicebridge.worker.pipeline.PeerMedia;
import dev.voicebridge.worker.pipeline.RtpOutput;

/**
 * Connects a session's transport to the audio pipeline: SRTP-unprotected RTP/RTCP into
 * {@link CallMedia} (which only parses and enqueues on our owner thread), and the pipeline's paced
 * output into the session's SRTP send path. The pipeline joins the shared pacer once DTLS-SRTP is
 * up, so nothing is encoded for a call that never connects.
 */
public final class PipelineMedia implements MediaHandler {
    private final CallMedia media;
    private final Pacer pacer;
    private boolean started;

    /**
     * @param output the session's send path; it drops (counted) whatever the pipeline sends
     *     before DTLS-SRTP is up, so the pipeline is wired to it from the start
     */
    public PipelineMedia(
            String callId, MediaConfig config, PeerMedia peer, CallerAudioSink sink, Pacer pacer, RtpOutput output) {
        this.pacer = pacer;
        this.media = CallMedia.create(callId, config, peer, sink, output);
    }

    /** Where the agent plane puts its audio. */
    public AgentAudioOutput agentOutput() {
        return media.agentOutput();
    }

    public MediaStats stats() {
        return media.stats();
    }

    @Override
    public long localSsrc() {
        return media.localSsrc();
    }

    @Override
    public String cname() {
        return media.cname();
    }

    @Override
    public void onTransportReady(RtpOutput output) {
        if (!started) {
            started = true;
            media.start(pacer);
        }
    }

    @Override
    public void onAccepted() {
        media.markAccepted();
    }

    /** {@link CallMedia#onRtp} parses and enqueues for the pacer's next tick, from any thread. */
    @Override
    public boolean receivesOnAnyThread() {
        return true;
    }

    @Override
    public void onRtp(byte[] buf, int off, int len) {
        media.onRtp(buf, off, len);
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        media.onRtcp(buf, off, len);
    }

    @Override
    public void onClosed() {
        media.close();
    }
}
