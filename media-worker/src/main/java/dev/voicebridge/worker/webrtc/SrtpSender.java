package dev.voicebridge.worker.webrtc;

import dev.voicebridge.api.log.CallStep;
import dev.voicebridge.media.srtp.PacketBuffer;
import dev.voicebridge.media.srtp.SrtpSession;
import dev.voicebridge.worker.pipeline.RtpOutput;
import dev.voicebridge.worker.transport.MediaPort;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * A call's send path below the pipeline: SRTP/SRTCP protect, then UDP on the ICE-selected pair.
 * Exists from the call's creation (the pipeline is built with it, before the transport is up) and
 * drops — counted — whatever comes before DTLS-SRTP is up; RTP is also held (dropped and counted
 * as held before accept) until WhatsApp's accept returned: it takes the first media packet as the
 * answer (docs/protocols.md, "Timing rules").
 *
 * <p>Threads: the pacing thread sends; the call's owner thread {@link #connect connects},
 * {@link #accept accepts} and {@link #disconnect disconnects} through volatile fields, so a send
 * never waits for the owner.
 */
final class SrtpSender implements RtpOutput {
    private static final Logger LOG = Logger.getLogger(SrtpSender.class.getName());

    private final String call;
    private final MediaPort port;
    private final PacketBuffer rtpBuffer = new PacketBuffer(1500);
    private final PacketBuffer rtcpBuffer = new PacketBuffer(1500);
    private final LongAdder rtpSent = new LongAdder();
    private final LongAdder rtcpSent = new LongAdder();
    private final LongAdder heldBeforeAccept = new LongAdder();

    private volatile SrtpSession srtp;
    private volatile InetSocketAddress remote;
    private volatile boolean accepted;
    /** Only the pacing thread sends: a plain flag suffices to log the first packet once. */
    private boolean sentAny;

    /** {@code call} names the call in the log (its VoiceCall resource name). */
    SrtpSender(String call, MediaPort port) {
        this.call = call;
        this.port = port;
    }

    void connect(SrtpSession session, InetSocketAddress to) {
        remote = to;
        srtp = session;
    }

    void accept() {
        accepted = true;
    }

    void disconnect() {
        srtp = null;
    }

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        if (!accepted) {
            heldBeforeAccept.increment();
            return false;
        }
        SrtpSession s = srtp;
        InetSocketAddress to = remote;
        if (s == null || to == null) {
            return false;
        }
        synchronized (rtpBuffer) {
            if (!s.protectRtp(rtpBuffer.set(buf, off, len))) {
                return false;
            }
            port.send(rtpBuffer.getBuffer(), rtpBuffer.getOffset(), rtpBuffer.getLength(), to);
        }
        rtpSent.increment();
        if (!sentAny) {
            sentAny = true;
            // WhatsApp takes the first media packet as the answer: the moment the caller can hear.
            LOG.info(() -> CallStep.FIRST_AUDIO_OUT.line(call, "heldBeforeAccept", heldBeforeAccept.sum()));
        }
        return true;
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        SrtpSession s = srtp;
        InetSocketAddress to = remote;
        if (s == null || to == null) {
            return false;
        }
        synchronized (rtcpBuffer) {
            if (!s.protectRtcp(rtcpBuffer.set(buf, off, len))) {
                return false;
            }
            port.send(rtcpBuffer.getBuffer(), rtcpBuffer.getOffset(), rtcpBuffer.getLength(), to);
        }
        rtcpSent.increment();
        return true;
    }

    long rtpSent() {
        return rtpSent.sum();
    }

    long rtcpSent() {
        return rtcpSent.sum();
    }

    long heldBeforeAccept() {
        return heldBeforeAccept.sum();
    }
}
