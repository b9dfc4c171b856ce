package dev.voicebridge.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.media.dtls.Fingerprint;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our offer for business-initiated calls, and the parsing of the answer WhatsApp gives to it. */
class SdpOfferBuilderTest {
    private static final IceCredentials OURS = new IceCredentials("vbOf", "offerpasswordoffer/pass+");
    private static final Fingerprint OUR_FP = Fingerprint.sha256Of(new byte[] {4, 5, 6});
    private static final List<IceCandidate> CANDIDATES = List.of(
            IceCandidate.udpHost("1", 2130706431L, "198.51.100.20", 40000),
            IceCandidate.udpHost("2", 2130706175L, "2001:db8::20", 40000));

    private final SdpParser parser = new SdpParser();

    @Test
    void offersWhatWhatsAppAnswersFullIceActpassOneFingerprintOpusAndDtmf() throws Exception {
        String offer = new SdpOfferBuilder()
                .build(new AnswerSpec(OURS, OUR_FP, CANDIDATES, 77L).withSsrc(987654321L, "vb-out"));

        assertThat(offer).endsWith("\r\n");
        assertThat(offer.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        List<String> lines = Arrays.asList(offer.split("\r\n"));
        assertThat(lines).startsWith("v=0", "o=- 77 2 IN IP4 127.0.0.1", "s=-", "t=0 0");
        assertThat(lines).doesNotContain("a=ice-lite");
        assertThat(lines)
                .contains(
                        "a=group:BUNDLE audio",
                        "m=audio 40000 UDP/TLS/RTP/SAVPF 111 126",
                        "a=candidate:1 1 udp 2130706431 198.51.100.20 40000 typ host",
                        "a=end-of-candidates",
                        "a=ice-ufrag:vbOf",
                        "a=setup:actpass",
                        "a=mid:audio",
                        "a=rtcp-mux",
                        "a=rtpmap:111 opus/48000/2",
                        "a=rtpmap:126 telephone-event/8000",
                        "a=ssrc:987654321 cname:vb-out");
        assertThat(lines.stream().filter(l -> l.startsWith("a=fingerprint:")))
                .containsExactly("a=fingerprint:" + OUR_FP.toSdpValue());

        // What the answerer (a WhatsApp-like peer) reads from it.
        SdpOffer parsed = parser.parse(offer);
        assertThat(parsed.iceLite()).isFalse();
        assertThat(parsed.audio().setup()).isEqualTo(Setup.ACTPASS);
        assertThat(parsed.audio().opus().payloadType()).isEqualTo(SdpOfferBuilder.OPUS_PT);
        assertThat(parsed.audio().telephoneEvent())
                .hasValueSatisfying(t -> assertThat(t.payloadType()).isEqualTo(SdpOfferBuilder.DTMF_PT));
        assertThat(parsed.audio().ice()).isEqualTo(OURS);
        assertThat(parsed.audio().candidates()).hasSize(2);
        assertThat(parsed.audio().preferredFingerprint()).isEqualTo(OUR_FP);
    }

    @Test
    void theAnswerersSetupDecidesOurDtlsRole() throws Exception {
        assertThat(parser.parseAnswer(answer("passive")).weAreDtlsClient()).isTrue();
        assertThat(parser.parseAnswer(answer("active")).weAreDtlsClient()).isFalse();
        // An answerer must not say actpass (RFC 8842); read as passive, we stay the client.
        assertThat(parser.parseAnswer(answer("actpass")).weAreDtlsClient()).isTrue();
        SdpAnswer answer = parser.parseAnswer(answer("passive"));
        assertThat(answer.iceLite()).isTrue();
        assertThat(answer.audio().ice().ufrag()).isEqualTo("WaAn/");
        assertThat(answer.audio().candidates()).singleElement().satisfies(c -> assertThat(c.port())
                .isEqualTo(3480));
    }

    @Test
    void anAnswerWithoutADtlsRoleIsRefused() {
        assertThatThrownBy(() -> parser.parseAnswer(answer("holdconn")))
                .isInstanceOfSatisfying(
                        SdpRejectedException.class, e -> assertThat(e.reason()).isEqualTo(SdpRejection.BAD_SETUP));
        assertThatThrownBy(() -> parser.parseAnswer(answer("passive").replace("a=setup:passive\r\n", "")))
                .isInstanceOfSatisfying(
                        SdpRejectedException.class, e -> assertThat(e.reason()).isEqualTo(SdpRejection.BAD_SETUP));
    }

    @Test
    void anOfferStillMayNotLeaveUsTheServer() {
        // The offer rule is unchanged: an offerer that insists on being the DTLS client is refused.
        assertThatThrownBy(() -> parser.parse(answer("active")))
                .isInstanceOfSatisfying(
                        SdpRejectedException.class, e -> assertThat(e.reason()).isEqualTo(SdpRejection.BAD_SETUP));
    }

    /**
     * The shape of OpenAI's answer to a WebRTC call, as the example answer in its API reference
     * ("Create call") shows it — full ICE, host candidates on UDP 3478 and TCP 443 (with {@code
     * ufrag} extensions), {@code a=setup:active}, Opus on 111 — cut to the one audio section our
     * audio-only offer asks for (addresses from the documentation range). The relay uses UDP: the
     * TCP candidate is kept as written and skipped by the ICE agent, never a reason to refuse.
     */
    @Test
    void anOpenAiShapedAnswerWithATcpCandidateIsTakenAndWeServeDtls() throws Exception {
        String sdp = String.join(
                        "\r\n",
                        "v=0",
                        "o=- 4227147428 1719357865 IN IP4 127.0.0.1",
                        "s=-",
                        "t=0 0",
                        "a=group:BUNDLE audio",
                        "a=msid-semantic:WMS *",
                        "a=fingerprint:" + Fingerprint.sha256Of(new byte[] {7}).toSdpValue(),
                        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
                        "c=IN IP4 0.0.0.0",
                        "a=rtcp:9 IN IP4 0.0.0.0",
                        "a=candidate:4162437452 1 udp 2130706431 192.0.2.44 3478 typ host ufrag oAiU",
                        "a=candidate:2873423429 1 tcp 1671430143 192.0.2.44 443 typ host tcptype passive ufrag oAiU",
                        "a=ice-ufrag:oAiU",
                        "a=ice-pwd:openaiicepasswordopenai",
                        "a=setup:active",
                        "a=mid:audio",
                        "a=sendrecv",
                        "a=rtcp-mux",
                        "a=rtpmap:111 opus/48000/2",
                        "a=fmtp:111 minptime=10;useinbandfec=1",
                        "a=ssrc:1876512381 cname:openai")
                + "\r\n";
        SdpAnswer answer = parser.parseAnswer(sdp);
        assertThat(answer.weAreDtlsClient()).isFalse();
        assertThat(answer.audio().opus().payloadType()).isEqualTo(111);
        assertThat(answer.audio().telephoneEvent()).isEmpty();
        assertThat(answer.audio().candidates()).hasSize(2);
        assertThat(answer.audio().candidates().stream().filter(IceCandidate::isUdp))
                .singleElement()
                .satisfies(c -> assertThat(c.port()).isEqualTo(3478));
    }

    /** A WhatsApp-shaped answer: ICE-lite, one candidate, its own fingerprint. */
    static String answer(String setup) {
        return String.join(
                        "\r\n",
                        "v=0",
                        "o=- 1700000000 2 IN IP4 127.0.0.1",
                        "s=-",
                        "t=0 0",
                        "a=group:BUNDLE audio",
                        "a=ice-lite",
                        "m=audio 3480 UDP/TLS/RTP/SAVPF 111 126",
                        "c=IN IP4 192.0.2.10",
                        "a=candidate:1 1 udp 2122260223 192.0.2.10 3480 typ host",
                        "a=ice-ufrag:WaAn/",
                        "a=ice-pwd:c2VjcmV0LXdoYXRzYXBwLXB3ZA==",
                        "a=fingerprint:" + Fingerprint.sha256Of(new byte[] {9}).toSdpValue(),
                        "a=setup:" + setup,
                        "a=mid:audio",
                        "a=sendrecv",
                        "a=rtcp-mux",
                        "a=rtpmap:111 opus/48000/2",
                        "a=fmtp:111 maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;useinbandfec=1",
                        "a=rtpmap:126 telephone-event/8000",
                        "a=ptime:20")
                + "\r\n";
    }
}
