package dev.voicebridge.worker.session;

import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.pipeline.CallMedia;
import dev.voicebridge.worker.pipeline.MediaConfig;
import dev.voicebridge.worker.pipeline.MediaStats;
import dev.voicebridge.worker.pipeline.Pacer;
import dev.voicebridge.worker.pipeline.PeerMedia;

/**
 * Connects a session's transport to the audio pipeline: SRTP-unprotected RTP/RTCP into
 * {@link CallMedia} (which only parses and enqueues on our owner thread), and the pipeline's paced
 * output into the session's SRTP send path. The pipeline joins the shared pacer once DTLS-SRTP is
 * up, so nothing is encoded for a call that never connects.
 */
public final class PipelineMedia implements MediaHandler {
    private final CallMedia media;
    private final Pacer pacer;
    private volatile RtpOutput transport;
    private boolean started;

    public PipelineMedia(String callId, MediaConfig config, PeerMedia peer, CallerAudioSink sink, Pacer pacer) {
        this.pacer = pacer;
        this.media = CallMedia.create(callId, config, peer, sink, new dev.voicebridge.worker.pipeline.RtpOutput() {
            @Override
            public void sendRtp(byte[] packet, int offset, int length) {
                RtpOutput t = transport;
                if (t != null) {
                    t.sendRtp(packet, offset, length);
                }
            }

            @Override
            public void sendRtcp(byte[] packet, int offset, int length) {
                RtpOutput t = transport;
                if (t != null) {
                    t.sendRtcp(packet, offset, length);
                }
            }
        });
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
        transport = output;
        if (!started) {
            started = true;
            media.start(pacer);
        }
    }

    @Override
    public void onAccepted() {
        media.markAccepted();
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
