package dev.voicebridge.worker.webrtc;

import dev.voicebridge.worker.pipeline.MediaHandler;
import dev.voicebridge.worker.pipeline.RtpOutput;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transport-level loopback: every RTP packet the caller sends goes straight back to the caller
 * under our own SSRC (payload untouched). Proves ICE, DTLS and SRTP in both directions with real
 * Opus audio, without the audio pipeline.
 */
final class EchoMedia implements MediaHandler {
    private final AtomicLong echoed = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile RtpOutput output;

    @Override
    public void onTransportReady(RtpOutput out) {
        this.output = out;
    }

    @Override
    public void onRtp(byte[] buf, int off, int len) {
        received.incrementAndGet();
        RtpOutput out = output;
        if (out == null) {
            return;
        }
        byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
        // Our SSRC, so the phone sees a distinct source (RFC 3550 §8: never reflect an SSRC).
        copy[8] = 0x0B;
        copy[9] = 0x0B;
        copy[10] = 0x0B;
        copy[11] = 0x0B;
        if (out.sendRtp(copy, 0, copy.length)) {
            echoed.incrementAndGet();
        }
    }

    long received() {
        return received.get();
    }

    long echoed() {
        return echoed.get();
    }
}
