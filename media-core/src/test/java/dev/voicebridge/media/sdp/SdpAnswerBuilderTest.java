package dev.voicebridge.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.media.dtls.Fingerprint;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SdpAnswerBuilderTest {
    private static final IceCredentials OURS = new IceCredentials("vbAb", "ourpasswordour/password+");
    private static final Fingerprint OUR_FP = Fingerprint.sha256Of(new byte[] {1, 2, 3});
    private static final List<IceCandidate> CANDIDATES = List.of(
            IceCandidate.udpHost("1", 2130706431L, "198.51.100.20", 40000),
            IceCandidate.udpHost("2", 2130706175L, "2001:db8::20", 40000));

    private final SdpParser parser = new SdpParser();
    private final SdpAnswerBuilder builder = new SdpAnswerBuilder();

    @Test
    void answersTheWhatsAppOfferPerProtocolsMd() throws Exception {
        SdpOffer offer = parser.parse(Fixtures.read("whatsapp-offer.sdp"));
        String answer =
                builder.build(offer, new AnswerSpec(OURS, OUR_FP, CANDIDATES, 42L).withSsrc(123456789L, "vb-call"));

        assertThat(answer).endsWith("\r\n");
        assertThat(answer.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        List<String> lines = Arrays.asList(answer.split("\r\n"));
        assertThat(lines).startsWith("v=0", "o=- 42 2 IN IP4 127.0.0.1", "s=-", "t=0 0");
        assertThat(lines).doesNotContain("a=ice-lite");
        assertThat(lines)
                .contains(
                        "a=group:BUNDLE audio",
                        "m=audio 40000 UDP/TLS/RTP/SAVPF 111 126",
                        "c=IN IP4 198.51.100.20",
                        "a=candidate:1 1 udp 2130706431 198.51.100.20 40000 typ host",
                        "a=candidate:2 1 udp 2130706175 2001:db8::20 40000 typ host",
                        "a=end-of-candidates",
                        "a=ice-ufrag:vbAb",
                        "a=ice-pwd:ourpasswordour/password+",
                        "a=setup:active",
                        "a=mid:audio",
                        "a=sendrecv",
                        "a=rtcp-mux",
                        "a=rtpmap:111 opus/48000/2",
                        "a=rtpmap:126 telephone-event/8000",
                        "a=ptime:20",
                        "a=ssrc:123456789 cname:vb-call");
        assertThat(lines.stream().filter(l -> l.startsWith("a=fingerprint:")))
                .containsExactly("a=fingerprint:" + OUR_FP.toSdpValue());
        assertThat(OUR_FP.algorithm()).isEqualTo("sha-256");
        assertThat(lines.indexOf("a=end-of-candidates"))
                .isGreaterThan(lines.indexOf("a=candidate:2 1 udp 2130706175 2001:db8::20 40000 typ host"));
        assertThat(lines.stream().filter(l -> l.startsWith("a=fmtp:111 ")))
                .singleElement()
                .asString()
                .contains("useinbandfec=1");
    }

    @Test
    void mirrorsChromiumsPayloadTypesAndMid() throws Exception {
        SdpOffer offer = parser.parse(Fixtures.read("chromium-offer.sdp"));
        String answer = builder.build(offer, new AnswerSpec(OURS, OUR_FP, CANDIDATES, 7L));
        List<String> lines = Arrays.asList(answer.split("\r\n"));
        assertThat(lines)
                .contains(
                        "a=group:BUNDLE 0",
                        "m=audio 40000 UDP/TLS/RTP/SAVPF 111 110",
                        "a=mid:0",
                        "a=rtpmap:110 telephone-event/48000");
        assertThat(lines).noneMatch(l -> l.startsWith("a=ssrc:"));
    }

    @Test
    void theAnswerParsesBackAsAServableDescription() throws Exception {
        SdpOffer offer = parser.parse(Fixtures.read("whatsapp-offer.sdp"));
        String answer = builder.build(offer, new AnswerSpec(OURS, OUR_FP, CANDIDATES, 42L));
        // Our answer is not an offer (setup:active), but everything else must read back exactly.
        SdpOffer back = parser.parse(answer.replace("a=setup:active", "a=setup:passive"));
        assertThat(back.iceLite()).isFalse();
        assertThat(back.audio().ice()).isEqualTo(OURS);
        assertThat(back.audio().fingerprints()).containsExactly(OUR_FP);
        assertThat(back.audio().candidates()).isEqualTo(CANDIDATES);
        assertThat(back.audio().endOfCandidates()).isTrue();
        assertThat(back.audio().opus().payloadType()).isEqualTo(111);
        assertThat(back.audio().opus().useInbandFec()).isTrue();
        assertThat(back.audio().telephoneEvent()).contains(new TelephoneEventFormat(126, 8000, ""));
    }

    @Test
    void isDeterministicBecauseAcceptMustRepeatPreAcceptByteForByte() throws Exception {
        SdpOffer offer = parser.parse(Fixtures.read("whatsapp-offer.sdp"));
        var spec = new AnswerSpec(OURS, OUR_FP, CANDIDATES, 42L);
        assertThat(builder.build(offer, spec)).isEqualTo(builder.build(offer, spec));
    }

    @Test
    void withoutTelephoneEventOnlyOpusIsAnswered() throws Exception {
        String sdp = Fixtures.read("whatsapp-offer.sdp")
                .replace(" 111 126\r\n", " 111\r\n")
                .replace("a=rtpmap:126 telephone-event/8000\r\n", "");
        String answer = builder.build(parser.parse(sdp), new AnswerSpec(OURS, OUR_FP, CANDIDATES, 1L));
        assertThat(answer).contains("m=audio 40000 UDP/TLS/RTP/SAVPF 111\r\n").doesNotContain("telephone-event");
    }

    @Test
    void ipv6FirstCandidateGivesAnIp6ConnectionLine() throws Exception {
        SdpOffer offer = parser.parse(Fixtures.read("whatsapp-offer.sdp"));
        String answer = builder.build(offer, new AnswerSpec(OURS, OUR_FP, List.of(CANDIDATES.get(1)), 1L));
        assertThat(answer).contains("c=IN IP6 2001:db8::20\r\n");
    }

    @Test
    void refusesSpecsThatWouldBreakTheContract() {
        assertThatThrownBy(() -> new AnswerSpec(OURS, OUR_FP, List.of(), 1L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AnswerSpec(OURS, new Fingerprint("sha-1", "AA:BB"), CANDIDATES, 1L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fingerprintMatchesTheCertificateItWasTakenFrom() {
        byte[] der = {9, 8, 7, 6};
        Fingerprint fp = Fingerprint.sha256Of(der);
        assertThat(fp.matches(der)).isTrue();
        assertThat(fp.matches(new byte[] {9, 8, 7})).isFalse();
        assertThat(fp.hex()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }
}
