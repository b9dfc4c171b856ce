package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * An agent that answers calls: which voice API and model, voice and instructions, tools, limits,
 * prices and secret references. The operator validates it and reports the result on its status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VoiceAgentSpec {

    @JsonPropertyDescription("WhatsApp phone-number ids this agent answers.")
    @Size(max = 100) private List<String> phoneNumberIds;

    @JsonPropertyDescription("Which OpenAI voice API answers: realtime (the Realtime API, token-priced models"
            + " gpt-realtime-2.1, gpt-realtime-2.1-mini, gpt-realtime-2) or live (GPT-Live, gpt-live-1.1 and"
            + " gpt-live-1, priced per second of session). An unknown value makes the agent invalid.")
    @Pattern("^[a-z][a-z0-9-]{0,31}$") @Default("realtime")
    private String api;

    @JsonPropertyDescription("How the worker carries a call's audio to the model: websocket (the caller's audio"
            + " decoded to PCM and the model's encoded to Opus by the worker; every API) or webrtc (realtime only:"
            + " the caller's Opus relayed undecoded to OpenAI's WebRTC calls endpoint and the model steered over a"
            + " sideband WebSocket; about half the worker's CPU per call). The embedded local agent (no API key)"
            + " always takes the websocket path.")
    @Pattern("^(websocket|webrtc)$") @Default("websocket")
    private String modelTransport;

    @JsonPropertyDescription("Model of the chosen API. Unset: gpt-realtime-2.1 for realtime, gpt-live-1.1 for live."
            + " A model of another API makes the agent invalid.")
    @Size(min = 1, max = 128) private String model;

    @JsonPropertyDescription("live only: the Responses model GPT-Live delegates tool calls to (end_call and HTTP"
            + " tools run through it, billed at its token prices). Unset: gpt-5.4-mini.")
    @Size(min = 1, max = 128) private String backendModel;

    @JsonPropertyDescription("Output voice, e.g. marin.")
    @Size(min = 1, max = 64) @Default("marin")
    private String voice;

    @JsonPropertyDescription("realtime only: output speech speed.")
    @Min(0.25) @Max(1.5) private Double speed;

    @JsonPropertyDescription("System instructions of the agent.")
    @Size(max = 32768) private String instructions;

    @JsonPropertyDescription("What the agent says when the call connects.")
    private Greeting greeting;

    @JsonPropertyDescription(
            "realtime only: how the model decides the caller finished speaking (GPT-Live" + " decides turns itself).")
    private TurnDetection turnDetection;

    @JsonPropertyDescription("realtime only: transcription of the caller audio (GPT-Live always transcribes).")
    private InputTranscription inputTranscription;

    @JsonPropertyDescription("realtime only: input noise reduction, near_field (default), far_field or none.")
    private NoiseReduction noiseReduction;

    @JsonPropertyDescription("Tools the model may call: built-in end_call, or HTTP tools called by the worker.")
    @Size(max = 64) private List<AgentTool> tools;

    @JsonPropertyDescription("Hard limit for calls answered by this agent, in seconds from media up; the call"
            + " ends with MaxDuration.")
    @Min(1) @Max(86400) @Default("3600")
    private Integer maxCallDurationSeconds;

    @JsonPropertyDescription("Hang up calls in which nobody speaks for a while (GPT-Live bills silence too).")
    private IdlePolicy idle;

    @JsonPropertyDescription("Ask WhatsApp to record this agent's calls (Graph accept/connect recording; a call's own"
            + " spec.recording replaces it).")
    private WhatsAppCapture recording;

    @JsonPropertyDescription("Ask WhatsApp to transcribe this agent's calls (Graph accept/connect transcription; a"
            + " call's own spec.transcription replaces it).")
    private WhatsAppCapture transcription;

    @JsonPropertyDescription("How this agent places business-initiated calls (ring timeout, permission requests).")
    private OutboundSettings outbound;

    @JsonPropertyDescription("Prices used to estimate each call's cost; unset fields take the list prices of the"
            + " model. Token prices fit api realtime, per-minute and backend prices fit api live.")
    private PriceTable pricing;

    @JsonPropertyDescription("Secret key holding the OpenAI API key. Without it the embedded local agent answers."
            + " A Secret or key that does not exist makes the agent invalid.")
    private SecretKeyRef openaiApiKeySecret;

    @JsonPropertyDescription("Secret key holding the WhatsApp Graph API access token for these numbers.")
    private SecretKeyRef whatsappAccessTokenSecret;

    public List<String> getPhoneNumberIds() {
        return phoneNumberIds;
    }

    public void setPhoneNumberIds(List<String> phoneNumberIds) {
        this.phoneNumberIds = phoneNumberIds;
    }

    public String getModelTransport() {
        return modelTransport;
    }

    public void setModelTransport(String modelTransport) {
        this.modelTransport = modelTransport;
    }

    public String getApi() {
        return api;
    }

    public void setApi(String api) {
        this.api = api;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getBackendModel() {
        return backendModel;
    }

    public void setBackendModel(String backendModel) {
        this.backendModel = backendModel;
    }

    public String getVoice() {
        return voice;
    }

    public void setVoice(String voice) {
        this.voice = voice;
    }

    public Double getSpeed() {
        return speed;
    }

    public void setSpeed(Double speed) {
        this.speed = speed;
    }

    public String getInstructions() {
        return instructions;
    }

    public void setInstructions(String instructions) {
        this.instructions = instructions;
    }

    public Greeting getGreeting() {
        return greeting;
    }

    public void setGreeting(Greeting greeting) {
        this.greeting = greeting;
    }

    public TurnDetection getTurnDetection() {
        return turnDetection;
    }

    public void setTurnDetection(TurnDetection turnDetection) {
        this.turnDetection = turnDetection;
    }

    public InputTranscription getInputTranscription() {
        return inputTranscription;
    }

    public void setInputTranscription(InputTranscription inputTranscription) {
        this.inputTranscription = inputTranscription;
    }

    public NoiseReduction getNoiseReduction() {
        return noiseReduction;
    }

    public void setNoiseReduction(NoiseReduction noiseReduction) {
        this.noiseReduction = noiseReduction;
    }

    public List<AgentTool> getTools() {
        return tools;
    }

    public void setTools(List<AgentTool> tools) {
        this.tools = tools;
    }

    public Integer getMaxCallDurationSeconds() {
        return maxCallDurationSeconds;
    }

    public void setMaxCallDurationSeconds(Integer maxCallDurationSeconds) {
        this.maxCallDurationSeconds = maxCallDurationSeconds;
    }

    public IdlePolicy getIdle() {
        return idle;
    }

    public void setIdle(IdlePolicy idle) {
        this.idle = idle;
    }

    public PriceTable getPricing() {
        return pricing;
    }

    public void setPricing(PriceTable pricing) {
        this.pricing = pricing;
    }

    public SecretKeyRef getOpenaiApiKeySecret() {
        return openaiApiKeySecret;
    }

    public void setOpenaiApiKeySecret(SecretKeyRef openaiApiKeySecret) {
        this.openaiApiKeySecret = openaiApiKeySecret;
    }

    public SecretKeyRef getWhatsappAccessTokenSecret() {
        return whatsappAccessTokenSecret;
    }

    public void setWhatsappAccessTokenSecret(SecretKeyRef whatsappAccessTokenSecret) {
        this.whatsappAccessTokenSecret = whatsappAccessTokenSecret;
    }

    public WhatsAppCapture getRecording() {
        return recording;
    }

    public void setRecording(WhatsAppCapture recording) {
        this.recording = recording;
    }

    public WhatsAppCapture getTranscription() {
        return transcription;
    }

    public void setTranscription(WhatsAppCapture transcription) {
        this.transcription = transcription;
    }

    public OutboundSettings getOutbound() {
        return outbound;
    }

    public void setOutbound(OutboundSettings outbound) {
        this.outbound = outbound;
    }
}
