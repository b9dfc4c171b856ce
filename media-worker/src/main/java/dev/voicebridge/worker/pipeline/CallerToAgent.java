package dev.voicebridge.worker.pipeline;

import dev.voicebridge.media.codec.OpusDecoder;
import dev.voicebridge.media.rtp.DtmfDecoder;
import dev.voicebridge.media.rtp.ReceptionStatistics;
import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.audio.Pcm;
import java.util.Arrays;
import java.util.Optional;

/**
 * The receive direction: depacketized RTP → {@link JitterBuffer} → Opus decode (FEC for a single
 * loss, PLC otherwise) → {@link CallerAudioSink}, one 20 ms frame per tick once playout started;
 * telephone-events on the negotiated PT → {@code onDtmf} once per event. Confined to the pacer
 * thread (the call's inbound queue hands packets over).
 */
final class CallerToAgent {
    private final int opusPt;
    private final int dtmfPt;
    private final CallerAudioSink sink;
    private final OpusDecoder decoder;
    private final JitterBuffer jitterBuffer;
    private final ReceptionStatistics reception = new ReceptionStatistics(48_000);
    private final DtmfDecoder dtmf = new DtmfDecoder();

    private final short[] decoded = new short[OpusDecoder.MAX_FRAME_SAMPLES];
    private final short[] frame = new short[Pcm.FRAME_SAMPLES];
    private int pendingOffset;
    private int pendingSamples;
    private boolean started;
    private long currentSsrc = -1;

    private long packets;
    private long unknownPayload;
    private long fecFrames;
    private long plcFrames;
    private long underrunFrames;
    private long decodeErrors;
    private long dtmfDigits;
    private long framesDelivered;

    CallerToAgent(MediaConfig config, PeerMedia peer, CallerAudioSink sink, OpusDecoder decoder) {
        this.opusPt = peer.opusPayloadType();
        this.dtmfPt = peer.dtmfPayloadType().orElse(-1);
        this.sink = sink;
        this.decoder = decoder;
        this.jitterBuffer = new JitterBuffer(config.jitterMinFrames(), config.jitterMaxFrames());
    }

    /** Stage 1: accounts an arrived packet and hands it to the jitter buffer (DTMF decoded now). */
    void accept(RtpPacket p, long arrivalNanos) {
        int pt = p.payloadType();
        if (pt != opusPt && pt != dtmfPt) {
            unknownPayload++;
            return;
        }
        packets++;
        if (p.ssrc() != currentSsrc) {
            // A new source (the peer restarted its stream): its sequence space is unrelated.
            if (currentSsrc != -1) {
                jitterBuffer.clear();
            }
            currentSsrc = p.ssrc();
        }
        reception.onPacket(p.ssrc(), p.sequenceNumber(), p.timestamp(), arrivalNanos, pt == opusPt);
        if (pt == dtmfPt) {
            Optional<Character> digit = dtmf.onPacket(p.timestamp(), p.payload());
            if (digit.isPresent()) {
                dtmfDigits++;
                sink.onDtmf(digit.get());
            }
        }
        if (pt == dtmfPt) {
            // Events share the audio's sequence space (RFC 4733 2.1): they fill their slots so the
            // buffer does not take them for losses.
            jitterBuffer.insertEvent(p);
        } else {
            jitterBuffer.insert(p);
        }
    }

    /** Stages 2–4: one tick of playout. */
    void playout() {
        if (pendingSamples >= Pcm.FRAME_SAMPLES) {
            deliverPending(false);
            return;
        }
        switch (jitterBuffer.poll()) {
            case JitterBuffer.Playout.Buffering b -> {
                if (started) {
                    // Underrun while rebuilding depth: keep the agent's stream gapless with silence.
                    underrunFrames++;
                    Arrays.fill(frame, (short) 0);
                    deliver(true);
                }
            }
            case JitterBuffer.Playout.Packet(RtpPacket p) -> {
                started = true;
                if (p.payloadType() != opusPt) {
                    Arrays.fill(frame, (short) 0); // a telephone-event slot: the tone is not audio we have
                    deliver(false);
                    return;
                }
                int n = decoder.decode(p.payload(), 0, p.payload().length, decoded);
                if (n < 0) {
                    decodeErrors++;
                    conceal();
                    return;
                }
                pending(n, false);
            }
            case JitterBuffer.Playout.Missing(RtpPacket next) -> {
                started = true;
                if (next != null && next.payloadType() == opusPt) {
                    // RFC 6716 2.1.7: the next packet's LBRR carries a coarse copy of this frame.
                    int n = decoder.decodeFec(next.payload(), 0, next.payload().length, decoded, Pcm.FRAME_SAMPLES);
                    if (n == Pcm.FRAME_SAMPLES) {
                        fecFrames++;
                        pending(n, true);
                        return;
                    }
                }
                conceal();
            }
        }
    }

    private void conceal() {
        int n = decoder.conceal(decoded, Pcm.FRAME_SAMPLES);
        plcFrames++;
        if (n != Pcm.FRAME_SAMPLES) {
            Arrays.fill(decoded, 0, Pcm.FRAME_SAMPLES, (short) 0);
            n = Pcm.FRAME_SAMPLES;
        }
        pending(n, true);
    }

    private void pending(int samples, boolean concealed) {
        if (samples < Pcm.FRAME_SAMPLES) {
            // A 10 ms packet; we answer minptime=20, so this only happens with odd peers.
            Arrays.fill(decoded, samples, Pcm.FRAME_SAMPLES, (short) 0);
            samples = Pcm.FRAME_SAMPLES;
        }
        pendingOffset = 0;
        pendingSamples = samples;
        deliverPending(concealed);
    }

    private void deliverPending(boolean concealed) {
        System.arraycopy(decoded, pendingOffset, frame, 0, Pcm.FRAME_SAMPLES);
        pendingOffset += Pcm.FRAME_SAMPLES;
        pendingSamples -= Pcm.FRAME_SAMPLES;
        deliver(concealed);
    }

    private void deliver(boolean concealed) {
        framesDelivered++;
        sink.onCallerAudio(frame, concealed);
    }

    ReceptionStatistics reception() {
        return reception;
    }

    JitterBuffer jitterBuffer() {
        return jitterBuffer;
    }

    long packets() {
        return packets;
    }

    long unknownPayload() {
        return unknownPayload;
    }

    long fecFrames() {
        return fecFrames;
    }

    long plcFrames() {
        return plcFrames;
    }

    long underrunFrames() {
        return underrunFrames;
    }

    long decodeErrors() {
        return decodeErrors;
    }

    long dtmfDigits() {
        return dtmfDigits;
    }

    long framesDelivered() {
        return framesDelivered;
    }

    @Override
    public String toString() {
        return "CallerToAgent[RtpDepacketizer(pt=" + opusPt + (dtmfPt >= 0 ? ", dtmf=" + dtmfPt : "") + ") -> "
                + jitterBuffer + " -> OpusDecode(24kHz mono, fec=" + fecFrames + ", plc=" + plcFrames
                + ") -> CallerAudioSink]";
    }
}
