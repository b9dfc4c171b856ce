package dev.voicebridge.operator.gc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
        assertThat(json.get("caller").asText()).isEqualTo("+44*******123");
        assertThat(json.at("/status/end/reason").asText()).isEqualTo("CallerHangup");
        assertThat(json.at("/status/media/packetsIn").asLong()).isEqualTo(42L);
    }
}
