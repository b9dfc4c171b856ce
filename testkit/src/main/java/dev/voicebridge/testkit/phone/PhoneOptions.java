package dev.voicebridge.testkit.phone;

import dev.voicebridge.testkit.audio.PcmSource;
import java.net.InetSocketAddress;

/**
 * How a synthetic phone behaves.
 *
 * @param advertised the address put in the offer's candidate; null = the socket's own address
 *     (set it to an impairment relay's front address to route the call through the relay)
 * @param source what the phone says (24 kHz PCM, 20 ms frames)
 * @param recordSeconds how much of what it hears it keeps
 * @param lieAboutFingerprint put a wrong fingerprint in the offer (the worker must fail closed)
 */
public record PhoneOptions(
        InetSocketAddress advertised, PcmSource source, int recordSeconds, boolean lieAboutFingerprint) {

    public static PhoneOptions defaults() {
        return new PhoneOptions(null, PcmSource.silence(), 10, false);
    }

    public PhoneOptions withSource(PcmSource value) {
        return new PhoneOptions(advertised, value, recordSeconds, lieAboutFingerprint);
    }

    public PhoneOptions withAdvertised(InetSocketAddress value) {
        return new PhoneOptions(value, source, recordSeconds, lieAboutFingerprint);
    }

    public PhoneOptions withWrongFingerprint() {
        return new PhoneOptions(advertised, source, recordSeconds, true);
    }
}
