package dev.voicebridge.media.rtp;

import java.util.ArrayList;
import java.util.List;

/**
 * Produces the RFC 4733 packet train for one key press, as a sender (the test phone) emits it:
 * an update every 20 ms with growing duration, the first with the marker bit (2.5.1.3), then the
 * end packet three times (2.5.1.4). All share the event's RTP timestamp.
 */
public final class DtmfEncoder {
    private DtmfEncoder() {}

    /**
     * @param marker set on the first packet of the event only
     * @param sendOffsetMillis when to send it, relative to the key press
     */
    public record EventPacket(boolean marker, byte[] payload, int sendOffsetMillis) {}

    public static List<EventPacket> keyPress(char digit, int durationMillis, int clockRate, int volume) {
        int event = TelephoneEvent.eventOf(digit);
        var packets = new ArrayList<EventPacket>();
        int step = 20;
        int t = 0;
        for (; t + step < durationMillis; t += step) {
            int duration = (t + step) * clockRate / 1000;
            packets.add(new EventPacket(t == 0, new TelephoneEvent(event, false, volume, duration).toBytes(), t));
        }
        int total = Math.min(0xFFFF, durationMillis * clockRate / 1000);
        byte[] end = new TelephoneEvent(event, true, volume, total).toBytes();
        for (int i = 0; i < 3; i++) {
            packets.add(new EventPacket(packets.isEmpty(), end.clone(), durationMillis + i * step));
        }
        return packets;
    }
}
