package dev.voicebridge.operator.gc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.GraphError;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.TranscriptLine;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.api.v1alpha1.WhatsAppStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinalStatusLogTest {
    @Test
    void oneJsonLineWithTheFinalStatusWithoutSdpOrFullNumber() throws Exception {
        var spec = new VoiceCallSpec();
        spec.setCallId("wacid.X");
        spec.setSource(CallSource.whatsapp);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setCaller("447700900123");
        spec.setCallerDisplay("+44*******123");
        var call = new VoiceCall(spec);
        call.setMetadata(
                new ObjectMetaBuilder().withName("wa-x").withNamespace("calls").build());
        call.statusOrNew().setPhase(CallPhase.Ended);
        var end = new CallEnd();
        end.setReason(EndReason.CallerHangup);
        call.getStatus().setEnd(end);
        var media = new MediaStatus();
        media.setSdpAnswer("v=0\r\na=ice-pwd:secret\r\n");
        media.setPacketsIn(42L);
        call.getStatus().setMedia(media);

        String line = new FinalStatusLog().line(call);
        assertThat(line).doesNotContain("\n").doesNotContain("ice-pwd").doesNotContain("447700900123");
        var json = new ObjectMapper().readTree(line);
        assertThat(json.get("event").asText()).isEqualTo("voicecall.final");
        // the key of every per-call line, so grep call=… / a pipeline's call field finds it too
        assertThat(json.get("call").asText()).isEqualTo(call.getMetadata().getName());
        assertThat(json.get("caller").asText()).isEqualTo("+44*******123");
        assertThat(json.at("/status/end/reason").asText()).isEqualTo("CallerHangup");
        assertThat(json.at("/status/media/packetsIn").asLong()).isEqualTo(42L);
    }

    @Test
    void theInfoLineCarriesNoTranscriptRawCallIdCallerInputOrAddress() throws Exception {
        var spec = new VoiceCallSpec();
        spec.setCallId("wacid.HBgLMTU1NTAwMDE5MDYVAgARGBI2");
        spec.setSource(CallSource.whatsapp);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setCallerDisplay("+44*******123");
        var call = new VoiceCall(spec);
        call.setMetadata(
                new ObjectMetaBuilder().withName("wa-y").withNamespace("calls").build());
        call.statusOrNew().setPhase(CallPhase.Ended);
        var media = new MediaStatus();
        media.setSelectedPair("10.77.0.2:10000 <-> 203.0.113.9:50123");
        call.getStatus().setMedia(media);
        var agent = new AgentStatus();
        var line = new TranscriptLine();
        line.setRole("caller");
        line.setText("my account number is 12345678");
        agent.setTranscript(List.of(line, line));
        agent.setResponses(3);
        call.getStatus().setAgent(agent);
        var whatsapp = new WhatsAppStatus();
        var error = new GraphError();
        error.setCode(131009L);
        error.setMessage("Parameter value is not valid for recipient 447700900123");
        whatsapp.setLastError(error);
        call.getStatus().setWhatsapp(whatsapp);

        String info = new FinalStatusLog().line(call);
        assertThat(info)
                .doesNotContain("HBgLMTU1NTAwMDE5MDYVAgARGBI2")
                .doesNotContain("account number")
                .doesNotContain("203.0.113.9")
                .doesNotContain("447700900123");
        var json = new ObjectMapper().readTree(info);
        assertThat(json.get("name").asText()).isEqualTo("wa-y");
        assertThat(json.at("/status/agent/transcriptLines").asInt()).isEqualTo(2);
        assertThat(json.at("/status/agent/responses").asInt()).isEqualTo(3);
        assertThat(json.at("/status/whatsapp/lastError/code").asLong()).isEqualTo(131009L);

        String debug = new FinalStatusLog().debugLine(call);
        assertThat(debug).contains("wacid.HBgLMTU1NTAwMDE5MDYVAgARGBI2").contains("account number");
    }
}
