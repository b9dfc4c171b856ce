package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.phone.PhoneStats;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaceCallTest {
    @Test
    void defaultsFollowTheLocalStackSettings() {
        var options = PlaceCall.CallOptions.parse(
                new String[0], Map.of("VOICEBRIDGE_HOME", "/tmp/vb", "VOICEBRIDGE_LOCAL_SIGNALING_PORT", "18080"));
        assertThat(options.signaling()).isEqualTo(URI.create("http://127.0.0.1:18080"));
        assertThat(options.token()).isEqualTo("local-api-token");
        assertThat(options.out()).isEqualTo(Path.of("/tmp/vb/.local/heard.wav"));
        assertThat(options.phoneNumberId()).isEqualTo("100000000000001");
        assertThat(options.wav()).isNull();
        assertThat(options.listenSeconds()).isEqualTo(4);
        assertThat(options.outbound()).isFalse();
        assertThat(options.kube()).isEqualTo(URI.create("http://127.0.0.1:16443"));
        assertThat(options.appSecret()).isEqualTo("local-app-secret");
        assertThat(PlaceCall.CallOptions.parse(new String[] {"--outbound"}, Map.of())
                        .outbound())
                .isTrue();
    }

    @Test
    void takesEveryOption(@TempDir Path dir) throws Exception {
        Path wav = Files.createFile(dir.resolve("in.wav"));
        var options = PlaceCall.CallOptions.parse(
                new String[] {
                    "--wav",
                    wav.toString(),
                    "--out",
                    "o.wav",
                    "--listen",
                    "0",
                    "--token",
                    "t",
                    "--from",
                    "1555",
                    "--signaling",
                    "http://127.0.0.1:9"
                },
                Map.of());
        assertThat(options.wav()).isEqualTo(wav);
        assertThat(options.out()).isEqualTo(Path.of("o.wav"));
        assertThat(options.listenSeconds()).isZero();
        assertThat(options.token()).isEqualTo("t");
        assertThat(options.from()).isEqualTo("1555");
        assertThat(options.signaling()).isEqualTo(URI.create("http://127.0.0.1:9"));
    }

    @Test
    void theWhatsAppPathTakesTheStandInAndTheAppSecretOfTheStack() {
        var options = PlaceCall.CallOptions.parse(
                new String[] {"--whatsapp", "--webhook", "http://127.0.0.1:8000/"},
                Map.of("VOICEBRIDGE_LOCAL_GRAPH_PORT", "18083", "VOICEBRIDGE_LOCAL_APP_SECRET", "s3cret"));
        assertThat(options.whatsapp()).isTrue();
        assertThat(options.graph()).isEqualTo(URI.create("http://127.0.0.1:18083"));
        assertThat(options.appSecret()).isEqualTo("s3cret");
        assertThat(options.webhook()).isEqualTo(URI.create("http://127.0.0.1:8000/"));
        assertThat(PlaceCall.CallOptions.parse(new String[0], Map.of()).whatsapp())
                .isFalse();
    }

    @Test
    void refusesBadArgumentsWithTheReason() {
        assertThatThrownBy(() -> PlaceCall.CallOptions.parse(new String[] {"--bogus"}, Map.of()))
                .hasMessage("unknown argument: --bogus");
        assertThatThrownBy(() -> PlaceCall.CallOptions.parse(new String[] {"--wav"}, Map.of()))
                .hasMessage("--wav needs a value");
        assertThatThrownBy(() -> PlaceCall.CallOptions.parse(new String[] {"--wav", "/no/such.wav"}, Map.of()))
                .hasMessage("--wav /no/such.wav: no such file");
        assertThatThrownBy(() -> PlaceCall.CallOptions.parse(new String[] {"--listen", "x"}, Map.of()))
                .hasMessageContaining("number of seconds");
        assertThatThrownBy(() -> PlaceCall.CallOptions.parse(new String[] {"--listen", "99"}, Map.of()))
                .hasMessageContaining("0..60");
    }

    @Test
    void theGeneratedPhraseIsLoudEnoughForVoiceDetection() {
        short[] phrase = PlaceCall.phrase();
        assertThat(phrase).hasSize(24_000 * 5 / 2);
        // the embedded agent's speech threshold is RMS 500 of 32768 (docs/agent.md)
        assertThat(AudioAnalysis.rms(phrase, 0, phrase.length) * 32768).isGreaterThan(1000);
    }

    @Test
    void printsTheTimelineInOrderAndTheFigures() throws Exception {
        var view = new ObjectMapper().readTree("""
                {"callId":"local-1","name":"wa-x","phase":"Ended","agent":"default",
                 "receivedAt":"2026-11-21T07:00:00.000Z","acceptedAt":"2026-11-21T07:00:00.400Z",
                 "createdAt":"2026-11-21T07:00:00Z",
                 "timestamps":{"assignedAt":"2026-11-21T07:00:00.100Z","answeredAt":"2026-11-21T07:00:00.300Z",
                   "connectedAt":"2026-11-21T07:00:01.500Z","endedAt":"2026-11-21T07:00:12.000Z","setupMillis":1500},
                 "media":{"iceMillis":9,"dtlsMillis":700,"packetsIn":500,"packetsOut":480,"lossPercent":0.5,
                   "jitterMillis":1.25},
                 "agentStatus":{"responses":2,"interruptions":1,"lastResponseLatencyMillis":640,
                   "transcript":[{"role":"caller","text":"hello"},{"role":"agent","text":"hi there"}]},
                 "end":{"reason":"ApiHangup","by":"media-worker/w"}}""");
        var phone = new PhoneStats(true, 3, 0, 600, 480, 1, 25, 0, 12, 0);
        String report = CallReport.render(view, phone, Signals.tone(440, 0.5, 1000), Path.of("heard.wav"));
        assertThat(report)
                .contains("phase Ended, end ApiHangup by media-worker/w")
                .contains("setup (created -> connected)   1500 ms")
                .contains("DTLS handshake                 700 ms")
                .contains("500 in / 480 out")
                .contains("jitter                         1.25 ms")
                .contains("response latency (last)        640 ms")
                .contains("480 received, 600 sent, 12 frames concealed")
                .contains("1.0 s, rms 0.354 of full scale")
                .contains("caller hello")
                .contains("agent  hi there");
        assertThat(report.indexOf("+0  received"))
                .isLessThan(report.indexOf("+100  assigned"))
                .isLessThan(report.indexOf("+300  answered"))
                .isLessThan(report.indexOf("+400  accepted"))
                .isLessThan(report.indexOf("+1500  connected"))
                .isLessThan(report.indexOf("+12000  ended"));
    }
}
