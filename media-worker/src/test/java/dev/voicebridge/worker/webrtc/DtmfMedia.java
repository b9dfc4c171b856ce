package dev.voicebridge.worker.webrtc;

import dev.voicebridge.media.rtp.DtmfDecoder;
import dev.voicebridge.media.rtp.RtpParseResult;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.worker.pipeline.MediaHandler;
import dev.voicebridge.worker.pipeline.RtpOutput;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects RFC 4733 digits on the telephone-event payload type (runs on the call's owner thread). */
final class DtmfMedia implements MediaHandler {
    private final int payloadType;
    private final DtmfDecoder decoder = new DtmfDecoder();
    final List<Character> digits = new CopyOnWriteArrayList<>();

    DtmfMedia(int payloadType) {
        this.payloadType = payloadType;
    }

    @Override
    public void onTransportReady(RtpOutput output) {}

    @Override
    public void onRtp(byte[] buf, int off, int len) {
        if (RtpParser.parse(buf, off, len) instanceof RtpParseResult.Parsed parsed
                && parsed.packet().payloadType() == payloadType) {
            decoder.onPacket(parsed.packet().timestamp(), parsed.packet().payload())
                    .ifPresent(digits::add);
        }
    }

    long duplicates() {
        return decoder.duplicates();
    }
}
