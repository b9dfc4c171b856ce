package dev.voicebridge.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.voicebridge.media.dtls.Fingerprint;
import java.util.ArrayList;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SdpParserTest {
    private final SdpParser parser = new SdpParser();

    @Test
    void parsesTheRealWhatsAppOffer() throws Exception {
        SdpOffer offer = parser.parse(Fixtures.read("whatsapp-offer.sdp"));

        assertThat(offer.sessionId()).isEqualTo("1760681506762");
        assertThat(offer.iceLite()).isTrue();
        assertThat(offer.bundleMids()).containsExactly("audio");
        AudioMedia a = offer.audio();
        assertThat(a.port()).isEqualTo(3484);
        assertThat(a.protocol()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(a.payloadTypes()).containsExactly(111, 126);
        assertThat(a.mid()).contains("audio");
        assertThat(a.ice()).isEqualTo(new IceCredentials("AeinEGDfvqBctbtM", "F6/jjqL0/8/Dzluc0IoZEQ=="));
        assertThat(a.fingerprints())
                .containsExactly(
                        new Fingerprint(
                                "sha-256",
                                "A2:EC:E2:C4:E4:FE:75:63:39:0D:77:45:DF:70:64:BC:F9:96:73:DE:F4:92:E5:78:D0:5B:1F:8F:E7:46:D3:C6"));
        assertThat(a.preferredFingerprint().bytes()).hasSize(32);
        assertThat(a.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(a.rtcpMux()).isTrue();
        assertThat(a.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(a.opus().payloadType()).isEqualTo(111);
        assertThat(a.opus().maxAverageBitrate()).contains(20000);
        assertThat(a.opus().maxPlaybackRate()).contains(16000);
        assertThat(a.opus().minPtime()).contains(20);
        assertThat(a.opus().useInbandFec()).isTrue();
        assertThat(a.opus().parameters()).containsEntry("sprop-maxcapturerate", "16000");
        assertThat(a.telephoneEvent()).contains(new TelephoneEventFormat(126, 8000, ""));
        assertThat(a.ptime()).contains(20);
        assertThat(a.ssrc()).contains(1047224411L);
        assertThat(a.cname()).contains("WhatsAppAudioStream1");
        assertThat(a.candidates()).hasSize(2);
        IceCandidate v4 = a.candidates().get(0);
        assertThat(v4.foundation()).isEqualTo("3935165743");
        assertThat(v4.component()).isEqualTo(1);
        assertThat(v4.isUdp()).isTrue();
        assertThat(v4.priority()).isEqualTo(2122260223L);
        assertThat(v4.address()).isEqualTo("203.0.113.49");
        assertThat(v4.port()).isEqualTo(3484);
        assertThat(v4.type()).isEqualTo("host");
        assertThat(v4.extensions()).containsEntry("generation", "0").containsEntry("network-cost", "50");
        IceCandidate v6 = a.candidates().get(1);
        assertThat(v6.isIpv6()).isTrue();
        assertThat(v6.address()).isEqualTo("2001:db8:f36b:131:face:b00c:0:699c");
        assertThat(v6.priority()).isEqualTo(2122262783L);
    }

    @Test
    void theWebhookSdpParsesToTheSameOffer() throws Exception {
        String fromJson = Fixtures.sdpFromConnectWebhook();
        assertThat(fromJson).contains("\r\n").endsWith("\r\n");
        assertThat(parser.parse(fromJson)).isEqualTo(parser.parse(Fixtures.read("whatsapp-offer.sdp")));
    }

    @Test
    void parsesTheChromiumOffer() throws Exception {
        SdpOffer offer = parser.parse(Fixtures.read("chromium-offer.sdp"));

        assertThat(offer.iceLite()).isFalse();
        assertThat(offer.bundleMids()).containsExactly("0");
        AudioMedia a = offer.audio();
        assertThat(a.payloadTypes()).containsExactly(111, 63, 9, 0, 8, 13, 110, 126);
        assertThat(a.mid()).contains("0");
        assertThat(a.ice()).isEqualTo(new IceCredentials("INLu", "HNYbO90KiaGujhIGLO8fn66j"));
        assertThat(a.opus().payloadType()).isEqualTo(111);
        assertThat(a.opus().minPtime()).contains(10);
        assertThat(a.opus().maxAverageBitrate()).isEmpty();
        assertThat(a.opus().useInbandFec()).isTrue();
        // Two telephone-events are offered; the one on Opus's 48 kHz clock is preferred (RFC 4733 2.1).
        assertThat(a.telephoneEvent()).contains(new TelephoneEventFormat(110, 48000, ""));
        assertThat(a.candidates()).extracting(IceCandidate::transport).containsExactly("udp", "tcp");
        assertThat(a.candidates().get(1).extensions()).containsEntry("tcptype", "active");
        assertThat(a.ptime()).isEmpty();
        assertThat(a.ssrc()).contains(297372281L);
        assertThat(a.cname()).contains("sm279jQYXiPzdwKJ");
    }

    @Test
    void toleratesBareLineFeedsAndBlankLines() throws Exception {
        String crlf = Fixtures.read("whatsapp-offer.sdp");
        String lf = crlf.replace("\r\n", "\n").replace("a=mid:audio\n", "a=mid:audio\n\n");
        assertThat(parser.parse(lf)).isEqualTo(parser.parse(crlf));
    }

    @Test
    void metasDocumentedShapeWithExtmapAndOtherPayloadTypes() throws Exception {
        String sdp = String.join(
                "\r\n",
                "v=0",
                "o=- 7669997803033704573 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE audio",
                "a=msid-semantic: WMS 3c6f6a0c",
                "a=ice-lite",
                "m=audio 3480 UDP/TLS/RTP/SAVPF 0 96 111 101",
                "c=IN IP6 2001:db8::1",
                "a=rtcp:9 IN IP4 0.0.0.0",
                "a=candidate:1 1 udp 2122262783 2001:db8::1 3480 typ host generation 0",
                "a=candidate:2 1 udp 2122260223 198.51.100.7 3480 typ host generation 0",
                "a=candidate:3 1 udp 1686052607 198.51.100.8 40000 typ srflx raddr 10.0.0.5 rport 3480 generation 0",
                "a=ice-ufrag:a/b=c+d",
                "a=ice-pwd:Zm9vYmFy/+==Zm9vYmFyYmF6cXV4",
                "a=fingerprint:sha-256 " + hex32(),
                "a=setup:passive",
                "a=mid:audio",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "a=sendrecv",
                "a=rtcp-mux",
                "a=rtpmap:96 red/48000/2",
                "a=rtpmap:111 OPUS/48000/2",
                "a=fmtp:111 minptime=10; useinbandfec=1 ;maxaveragebitrate=32000",
                "a=rtpmap:101 telephone-event/8000",
                "a=fmtp:101 0-15",
                "a=ptime:20",
                "");
        AudioMedia a = parser.parse(sdp).audio();
        assertThat(a.opus().payloadType()).isEqualTo(111);
        assertThat(a.opus().maxAverageBitrate()).contains(32000);
        assertThat(a.opus().useInbandFec()).isTrue();
        assertThat(a.telephoneEvent()).contains(new TelephoneEventFormat(101, 8000, "0-15"));
        assertThat(a.ice()).isEqualTo(new IceCredentials("a/b=c+d", "Zm9vYmFy/+==Zm9vYmFyYmF6cXV4"));
        assertThat(a.setup()).isEqualTo(Setup.PASSIVE);
        assertThat(a.candidates()).hasSize(3);
        IceCandidate srflx = a.candidates().get(2);
        assertThat(srflx.type()).isEqualTo("srflx");
        assertThat(srflx.relatedAddress()).contains("10.0.0.5");
        assertThat(srflx.relatedPort()).contains(3480);
        assertThat(srflx.sdpValue())
                .isEqualTo("3 1 udp 1686052607 198.51.100.8 40000 typ srflx raddr 10.0.0.5 rport 3480 generation 0");
    }

    @Test
    void sessionLevelIceAndFingerprintApplyWhenTheMediaSectionHasNone() throws Exception {
        String sdp = whatsapp()
                .replace(
                        "a=ice-lite\r\n",
                        "a=ice-lite\r\na=ice-ufrag:SESS\r\na=ice-pwd:sessionpasswordsessionpw\r\na=fingerprint:sha-1 "
                                + hex(20) + "\r\na=setup:actpass\r\n")
                .replaceAll("a=ice-ufrag:Aein[^\r]*\r\n", "")
                .replaceAll("a=ice-pwd:F6[^\r]*\r\n", "")
                .replaceAll("a=fingerprint:sha-256[^\r]*\r\n", "");
        AudioMedia a = parser.parse(sdp).audio();
        assertThat(a.ice()).isEqualTo(new IceCredentials("SESS", "sessionpasswordsessionpw"));
        assertThat(a.fingerprints()).extracting(Fingerprint::algorithm).containsExactly("sha-1");
    }

    @Test
    void severalFingerprintsAreKeptAndTheStrongestPreferred() throws Exception {
        String sdp = whatsapp()
                .replace(
                        "a=setup:actpass",
                        "a=fingerprint:sha-512 " + hex(64) + "\r\na=fingerprint:md5 " + hex(16)
                                + "\r\na=setup:actpass");
        AudioMedia a = parser.parse(sdp).audio();
        assertThat(a.fingerprints()).extracting(Fingerprint::algorithm).containsExactly("sha-256", "sha-512");
        assertThat(a.preferredFingerprint().algorithm()).isEqualTo("sha-512");
    }

    @Test
    void missingSetupMeansActpassAndMissingMidIsEmpty() throws Exception {
        String sdp = whatsapp()
                .replace("a=setup:actpass\r\n", "")
                .replace("a=mid:audio\r\n", "")
                .replace("a=group:BUNDLE audio\r\n", "");
        SdpOffer offer = parser.parse(sdp);
        assertThat(offer.audio().setup()).isEqualTo(Setup.ACTPASS);
        assertThat(offer.audio().mid()).isEmpty();
        assertThat(offer.bundleMids()).isEmpty();
    }

    @Test
    void skipsRejectedAndNonAudioSectionsToFindAudio() throws Exception {
        String sdp = whatsapp()
                .replace(
                        "m=audio 3484",
                        "m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\nm=audio 0 UDP/TLS/RTP/SAVPF 111\r\nm=audio 3484");
        assertThat(parser.parse(sdp).audio().port()).isEqualTo(3484);
    }

    @Test
    void refusesAnOfferWithoutOpusNamingTheMLine() {
        String sdp = whatsapp().replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 PCMU/8000");
        var e = reject(sdp, SdpRejection.NO_OPUS);
        assertThat(e.code()).isEqualTo("sdp.no-opus");
        assertThat(e.detail()).contains("line 8").contains("m=audio 3484");
    }

    @Test
    void refusesOpusAtAWrongClockRate() {
        reject(whatsapp().replace("opus/48000/2", "opus/16000/1"), SdpRejection.NO_OPUS);
    }

    @Test
    void refusesAnOfferWithoutFingerprint() {
        var e = reject(whatsapp().replaceAll("a=fingerprint:[^\r]*\r\n", ""), SdpRejection.NO_FINGERPRINT);
        assertThat(e.code()).isEqualTo("sdp.no-fingerprint");
    }

    @Test
    void refusesAFingerprintWithOnlyUnknownHashes() {
        reject(whatsapp().replace("a=fingerprint:sha-256", "a=fingerprint:md5"), SdpRejection.NO_FINGERPRINT);
    }

    @Test
    void refusesAGarbledFingerprintNamingTheLine() {
        var e = reject(whatsapp().replace("A2:EC:E2", "A2:EC:Z2"), SdpRejection.BAD_FINGERPRINT);
        assertThat(e.detail()).startsWith("line 15").contains("a=fingerprint:sha-256");
    }

    @Test
    void refusesAnOfferWithoutAudio() {
        String sdp =
                whatsapp().replace("m=audio 3484 UDP/TLS/RTP/SAVPF 111 126", "m=video 3484 UDP/TLS/RTP/SAVPF 111 126");
        assertThat(reject(sdp, SdpRejection.NO_AUDIO).code()).isEqualTo("sdp.no-audio");
        String sessionOnly = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
        assertThat(reject(sessionOnly, SdpRejection.NO_AUDIO).detail()).contains("no m= line");
    }

    @Test
    void refusesPlainRtp() {
        var e = reject(whatsapp().replace("UDP/TLS/RTP/SAVPF", "RTP/AVP"), SdpRejection.UNSUPPORTED_PROTOCOL);
        assertThat(e.code()).isEqualTo("sdp.unsupported-protocol");
        assertThat(e.detail()).contains("RTP/AVP");
    }

    @Test
    void refusesOversizeOffersBeforeParsing() {
        String huge = whatsapp() + "a=x-padding:" + "x".repeat(SdpParser.MAX_OFFER_BYTES) + "\r\n";
        assertThat(reject(huge, SdpRejection.OVERSIZE).code()).isEqualTo("sdp.oversize");
    }

    @Test
    void refusesMissingIceCredentialsWithoutEchoingThePassword() {
        var noPwd = reject(whatsapp().replaceAll("a=ice-pwd:[^\r]*\r\n", ""), SdpRejection.NO_ICE_CREDENTIALS);
        assertThat(noPwd.detail()).contains("ice-pwd");
        reject(whatsapp().replaceAll("a=ice-ufrag:[^\r]*\r\n", ""), SdpRejection.NO_ICE_CREDENTIALS);
        var badPwd = reject(
                whatsapp().replace("a=ice-pwd:F6/jjqL0/8/Dzluc0IoZEQ==", "a=ice-pwd:"),
                SdpRejection.NO_ICE_CREDENTIALS);
        assertThat(badPwd.detail()).contains("<redacted>").doesNotContain("F6/jj");
    }

    @Test
    void refusesAnOffererThatInsistsOnBeingTheDtlsClient() {
        var e = reject(whatsapp().replace("a=setup:actpass", "a=setup:active"), SdpRejection.BAD_SETUP);
        assertThat(e.code()).isEqualTo("sdp.bad-setup");
    }

    @Test
    void refusesGarbageLinesAndBrokenCandidates() {
        var garbage = reject(whatsapp().replace("s=-\r\n", "s=-\r\nthis is not sdp\r\n"), SdpRejection.MALFORMED);
        assertThat(garbage.detail()).startsWith("line 4");
        reject("m=audio 1 UDP/TLS/RTP/SAVPF 111\r\n", SdpRejection.MALFORMED);
        reject("", SdpRejection.MALFORMED);
        reject(
                whatsapp().replace("3484 typ host generation 0 network-cost 50", "abc typ host"),
                SdpRejection.BAD_CANDIDATE);
        reject(
                whatsapp().replace("a=candidate:3935165743 1 udp", "a=candidate:3935165743 1"),
                SdpRejection.BAD_CANDIDATE);
        reject(
                whatsapp().replace("m=audio 3484 UDP/TLS/RTP/SAVPF 111 126", "m=audio 3484 UDP/TLS/RTP/SAVPF 111 abc"),
                SdpRejection.MALFORMED);
        reject(whatsapp().replace("a=rtpmap:126 telephone-event/8000", "a=rtpmap:126"), SdpRejection.MALFORMED);
    }

    @Test
    void randomMutationsNeverEscapeAsAnythingButARejection() {
        var random = new Random(42);
        String base = whatsapp();
        for (int i = 0; i < 2000; i++) {
            char[] chars = base.toCharArray();
            int edits = 1 + random.nextInt(8);
            for (int k = 0; k < edits; k++) {
                chars[random.nextInt(chars.length)] = (char) (random.nextInt(96) + 10);
            }
            String mutated = new String(chars);
            try {
                SdpOffer offer = parser.parse(mutated);
                assertThat(offer.audio().opus()).isNotNull();
            } catch (SdpRejectedException expected) {
                assertThat(expected.code()).startsWith("sdp.");
            }
        }
    }

    private SdpRejectedException reject(String sdp, SdpRejection reason) {
        var e = catchThrowableOfType(SdpRejectedException.class, () -> parser.parse(sdp));
        assertThat(e).as("expected %s", reason).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        return e;
    }

    static String whatsapp() {
        return Fixtures.read("whatsapp-offer.sdp");
    }

    static String hex32() {
        return hex(32);
    }

    static String hex(int bytes) {
        var parts = new ArrayList<String>();
        for (int i = 0; i < bytes; i++) {
            parts.add(String.format("%02X", (i * 37 + 11) & 0xff));
        }
        return String.join(":", parts);
    }

    @Test
    void nullIsRejectedNotThrown() {
        assertThatThrownBy(() -> parser.parse(null)).isInstanceOf(SdpRejectedException.class);
    }
}
