package dev.voicebridge.api.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.AgentOverrides;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.HttpTool;
import dev.voicebridge.api.v1alpha1.PriceTable;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.ToolType;
import dev.voicebridge.api.v1alpha1.TurnDetection;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentValidationTest {
    private static final SecretCheck ALL_EXIST = SecretCheck.NONE;

    private static SecretKeyRef ref(String name, String key) {
        var r = new SecretKeyRef();
        r.setName(name);
        r.setKey(key);
        return r;
    }

    @Test
    void anEmptySpecIsARealtimeAgentOnGptRealtime21() {
        var r = AgentValidation.validate(new VoiceAgentSpec(), ALL_EXIST);
        assertThat(r.valid()).isTrue();
        assertThat(r.reason()).isEqualTo("Valid");
        assertThat(r.api().name()).isEqualTo("realtime");
        assertThat(r.model()).isEqualTo("gpt-realtime-2.1");
        assertThat(r.message()).isEqualTo("api realtime, model gpt-realtime-2.1");
    }

    @Test
    void aLiveAgentDefaultsToGptLive11() {
        var spec = new VoiceAgentSpec();
        spec.setApi("live");
        var r = AgentValidation.validate(spec, ALL_EXIST);
        assertThat(r.valid()).isTrue();
        assertThat(r.model()).isEqualTo("gpt-live-1.1");
        assertThat(r.api().billing()).isEqualTo(ModelApi.Billing.SESSION_TIME);
    }

    @Test
    void anUnknownApiIsReportedWithTheOnesThatExist() {
        var spec = new VoiceAgentSpec();
        spec.setApi("gemini-live");
        var r = AgentValidation.validate(spec, ALL_EXIST);
        assertThat(r.valid()).isFalse();
        assertThat(r.api()).isNull();
        assertThat(r.reason()).isEqualTo("UnknownApi");
        assertThat(r.message()).isEqualTo("api 'gemini-live' is not one voicebridge speaks (realtime, live)");
    }

    @Test
    void aModelOfAnotherApiIsNamedAsSuch() {
        var spec = new VoiceAgentSpec();
        spec.setApi("live");
        spec.setModel("gpt-realtime-2.1");
        var r = AgentValidation.validate(spec, ALL_EXIST);
        assertThat(r.reason()).isEqualTo("ModelNotInApi");
        assertThat(r.message())
                .isEqualTo("model 'gpt-realtime-2.1' does not belong to api live (it is a model of api realtime);"
                        + " live models: gpt-live-1, gpt-live-1.1");

        var realtime = new VoiceAgentSpec();
        realtime.setModel("gpt-4o");
        assertThat(AgentValidation.validate(realtime, ALL_EXIST).message())
                .startsWith("model 'gpt-4o' does not belong to api realtime; realtime models: ");
    }

    @Test
    void aCallOverrideIsValidatedLikeTheAgentsOwnModel() {
        var spec = new VoiceAgentSpec();
        spec.setApi("live");
        var overrides = new AgentOverrides();
        overrides.setModel("gpt-realtime-2.1-mini");
        var r = AgentValidation.validate(spec, overrides, ALL_EXIST);
        assertThat(r.reason()).isEqualTo("ModelNotInApi");
        assertThat(r.model()).isEqualTo("gpt-realtime-2.1-mini");
    }

    @Test
    void pricesOfTheOtherBillingModelDoNotFit() {
        var live = new VoiceAgentSpec();
        live.setApi("live");
        var tokens = new PriceTable();
        tokens.setAudioInput(32.0);
        tokens.setTextOutput(24.0);
        live.setPricing(tokens);
        var r = AgentValidation.validate(live, ALL_EXIST);
        assertThat(r.reason()).isEqualTo("PricingMismatch");
        assertThat(r.message())
                .isEqualTo("pricing sets audioInput, textOutput, which api live does not bill; it bills per minute"
                        + " of session (activePerMinute) plus backend tokens (backendInput … backendOutput)");

        var realtime = new VoiceAgentSpec();
        var minutes = new PriceTable();
        minutes.setActivePerMinute(0.05);
        realtime.setPricing(minutes);
        assertThat(AgentValidation.validate(realtime, ALL_EXIST).message())
                .isEqualTo("pricing sets activePerMinute, which api realtime does not bill; it bills per token"
                        + " (audioInput … textOutput)");

        live.setPricing(minutes);
        assertThat(AgentValidation.validate(live, ALL_EXIST).valid()).isTrue();
    }

    @Test
    void realtimeOnlyFieldsMakeALiveAgentInvalid() {
        var spec = new VoiceAgentSpec();
        spec.setApi("live");
        spec.setTurnDetection(new TurnDetection());
        spec.setSpeed(1.1);
        var r = AgentValidation.validate(spec, ALL_EXIST);
        assertThat(r.reason()).isEqualTo("NotSupportedByApi");
        assertThat(r.message()).startsWith("api live cannot honour speed, turnDetection");
    }

    @Test
    void theWebRtcRelayIsRealtimeOnly() {
        var spec = new VoiceAgentSpec();
        spec.setModelTransport("webrtc");
        assertThat(AgentValidation.validate(spec, ALL_EXIST).valid()).isTrue();
        assertThat(ModelApis.relaysOverWebRtc(spec)).isTrue();
        spec.setApi("live");
        var r = AgentValidation.validate(spec, ALL_EXIST);
        assertThat(r.reason()).isEqualTo("NotSupportedByApi");
        assertThat(r.message())
                .isEqualTo("modelTransport webrtc is available for api realtime only (api live takes the websocket"
                        + " path): remove it");
        spec.setModelTransport("websocket");
        assertThat(AgentValidation.validate(spec, ALL_EXIST).valid()).isTrue();
        assertThat(ModelApis.relaysOverWebRtc(spec)).isFalse();
    }

    @Test
    void everyReferencedSecretKeyMustExistAndEveryProblemIsListed() {
        var spec = new VoiceAgentSpec();
        spec.setApi("live");
        spec.setModel("gpt-4o");
        spec.setOpenaiApiKeySecret(ref("openai", "api-key"));
        spec.setWhatsappAccessTokenSecret(ref("whatsapp", "token"));
        var tool = new AgentTool();
        tool.setName("book");
        tool.setType(ToolType.http);
        var http = new HttpTool();
        http.setUrl("http://booking.local/");
        http.setBearerTokenSecret(ref("booking", "token"));
        tool.setHttp(http);
        spec.setTools(List.of(tool));
        var whatsapp = new SecretBuilder()
                .withNewMetadata()
                .withName("whatsapp")
                .endMetadata()
                .addToData("token", "dG9rZW4=")
                .build();
        var booking = new SecretBuilder()
                .withNewMetadata()
                .withName("booking")
                .endMetadata()
                .addToData("token", "dA==")
                .build();
        var secrets = Map.of("whatsapp", whatsapp, "booking", booking);
        var r = AgentValidation.validate(
                spec, (ref, use) -> SecretCheck.problemOf(secrets.get(ref.getName()), ref, use));
        assertThat(r.problems())
                .extracting(AgentValidation.Problem::reason)
                .containsExactly("ModelNotInApi", "SecretMissing", "SecretMissing");
        assertThat(r.reason()).isEqualTo("ModelNotInApi");
        assertThat(r.message())
                .contains("openaiApiKeySecret: Secret 'openai' does not exist")
                .contains("tools[book].http.bearerTokenSecret: Secret 'booking' is not labelled"
                        + " voicebridge.dev/tool-secret=true, so no tool may send it")
                .doesNotContain("whatsapp");
        booking.getMetadata().setLabels(Map.of("voicebridge.dev/tool-secret", "true"));
        whatsapp.setData(Map.of());
        var again = AgentValidation.validate(
                spec, (ref, use) -> SecretCheck.problemOf(secrets.get(ref.getName()), ref, use));
        assertThat(again.message())
                .contains("whatsappAccessTokenSecret: Secret 'whatsapp' has no key 'token'")
                .doesNotContain("booking");
        assertThat(SecretCheck.unreadable(ref("openai", "api-key"), 403))
                .isEqualTo("Secret 'openai' cannot be read (HTTP 403): voicebridge is granted only the Secrets the"
                        + " chart's agentSecrets names");
    }

    @Test
    void listPricesFollowTheModelAndTheTableOverridesThem() {
        var realtime = ModelApis.byName("realtime").orElseThrow();
        assertThat(realtime.listPrice("gpt-realtime-2.1", null).textOutput()).isEqualTo(24);
        assertThat(realtime.listPrice("gpt-realtime", null).textOutput()).isEqualTo(16);
        assertThat(realtime.listPrice("gpt-realtime-2.1-mini", null).audioInput())
                .isEqualTo(10);
        // a model of the API we have no price for is priced like the API's default model
        assertThat(realtime.listPrice("gpt-realtime-2.2", null))
                .isEqualTo(realtime.listPrice("gpt-realtime-2.1", null));

        var live = ModelApis.byName("live").orElseThrow();
        var p = live.listPrice("gpt-live-1", null);
        assertThat(p.activePerMinute()).isEqualTo(0.05);
        assertThat(p.backendInput()).isEqualTo(0.75);
        assertThat(p.backendOutput()).isEqualTo(4.50);
        assertThat(p.audioInput()).isZero();
        var t = new PriceTable();
        t.setActivePerMinute(0.04);
        assertThat(p.overriddenBy(t).activePerMinute()).isEqualTo(0.04);
        assertThat(p.overriddenBy(t).backendCachedInput()).isEqualTo(0.075);
    }
}
