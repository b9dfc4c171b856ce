package dev.voicebridge.testkit.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.testkit.audio.Signals;
import org.junit.jupiter.api.Test;

/** The load phones' audio is coded as a WhatsApp client codes it. */
class EncodedAudioTest {
    @Test
    void codesSilkWidebandAtMostAsA16kHzCaptureDoes() {
        var audio = EncodedAudio.encode(Signals.speechLike(7, 3_000), 300);

        int[] byConfig = new int[32];
        int speech = 0;
        for (int n = 0; n < audio.frames(); n++) {
            byte[] packet = audio.packet(n);
            byConfig[(packet[0] >> 3) & 0x1f]++; // RFC 6716 section 3.1: the TOC byte's config
            speech += audio.onset(n) ? 1 : 0;
        }
        // Configs 0-11 are SILK only (8-11 wideband), 12-15 hybrid, 16-31 CELT.
        for (int config = 12; config < 32; config++) {
            assertThat(byConfig[config]).as("packets in config %d", config).isZero();
        }
        assertThat(byConfig[8] + byConfig[9] + byConfig[10] + byConfig[11])
                .as("SILK wideband packets")
                .isGreaterThan(audio.frames() / 2);
        assertThat(speech).as("talk spurts").isPositive();
    }
}
