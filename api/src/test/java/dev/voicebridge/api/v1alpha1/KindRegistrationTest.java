package dev.voicebridge.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Every client's serialization knows our kinds without being told. A watch event (and anything
 * else read without a type) is parsed by its {@code apiVersion} and {@code kind}; a kind Fabric8
 * does not know becomes a {@code GenericKubernetesResource}, which the watch then converts to the
 * watched type, a second full parse of every event in every service. The kinds are announced in
 * {@code META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource}.
 */
class KindRegistrationTest {
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void aVoiceCallWatchEventIsParsedAsAVoiceCall() throws IOException {
        String call = serialization.asJson(
                serialization.unmarshal(ExamplesRoundTripTest.read("voicecall.yaml"), VoiceCall.class));
        WatchEvent event = serialization.unmarshal("{\"type\":\"MODIFIED\",\"object\":" + call + "}", WatchEvent.class);
        assertThat(event.getObject()).isInstanceOf(VoiceCall.class);
        assertThat(((VoiceCall) event.getObject()).getStatus().getPhase()).isEqualTo(CallPhase.Ended);
    }

    @Test
    void aVoiceAgentReadWithoutATypeIsAVoiceAgent() throws IOException {
        KubernetesResource agent = serialization.unmarshal(ExamplesRoundTripTest.read("voiceagent.yaml"));
        assertThat(agent).isInstanceOf(VoiceAgent.class);
    }
}
