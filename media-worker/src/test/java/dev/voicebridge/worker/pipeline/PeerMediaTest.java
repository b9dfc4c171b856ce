package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.sdp.Fixtures;
import dev.voicebridge.media.sdp.SdpParser;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerMediaTest {
    @Test
    void takesPayloadTypesAndOpusWishesFromTheRealOffers() throws Exception {
        var parser = new SdpParser();
        assertThat(PeerMedia.from(parser.parse(Fixtures.read("whatsapp-offer.sdp"))))
                .isEqualTo(new PeerMedia(111, Optional.of(126), Optional.of(20_000), true, Optional.of(16_000)));
        assertThat(PeerMedia.from(parser.parse(Fixtures.read("chromium-offer.sdp"))))
                .isEqualTo(new PeerMedia(111, Optional.of(110), Optional.empty(), true));
    }
}
