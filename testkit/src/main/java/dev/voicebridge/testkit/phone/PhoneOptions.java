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
 * @param load null for a phone that encodes, decodes and records; else how it behaves as one of
 *     many in a load test ({@code source} and {@code recordSeconds} are then not used)
 */
public record PhoneOptions(
        InetSocketAddress advertised,
        PcmSource source,
        int recordSeconds,
        boolean lieAboutFingerprint,
        LoadProfile load) {

    public PhoneOptions(
            InetSocketAddress advertised, PcmSource source, int recordSeconds, boolean lieAboutFingerprint) {
        this(advertised, source, recordSeconds, lieAboutFingerprint, null);
    }

    public static PhoneOptions defaults() {
        return new PhoneOptions(null, PcmSource.silence(), 10, false);
    }

    /** A load phone (see {@link LoadProfile}). */
    public static PhoneOptions load(LoadProfile profile) {
        return new PhoneOptions(null, PcmSource.silence(), 0, false, profile);
    }

    public PhoneOptions withSource(PcmSource value) {
        return new PhoneOptions(advertised, value, recordSeconds, lieAboutFingerprint, load);
    }

    public PhoneOptions withAdvertised(InetSocketAddress value) {
        return new PhoneOptions(value, source, recordSeconds, lieAboutFingerprint, load);
    }

    public PhoneOptions withWrongFingerprint() {
        return new PhoneOptions(advertised, source, recordSeconds, true, load);
    }
}
