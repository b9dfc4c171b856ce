package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** An agent that answers calls: realtime model configuration, tools, limits and secret references. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VoiceAgentSpec {

    @JsonPropertyDescription("WhatsApp phone-number ids this agent answers.")
    @Size(max = 100) private List<String> phoneNumberIds;

    @JsonPropertyDescription("Realtime model, e.g. gpt-realtime.")
    @Size(min = 1, max = 128) @Default("gpt-realtime")
    private String model;

    @JsonPropertyDescription("Output voice, e.g. marin.")
    @Size(min = 1, max = 64) @Default("marin")
    private String voice;

    @JsonPropertyDescription("Output speech speed.")
    @Min(0.25) @Max(1.5) private Double speed;

    @JsonPropertyDescription("System instructions of the agent.")
    @Size(max = 32768) private String instructions;

    @JsonPropertyDescription("What the agent says when the call connects.")
    private Greeting greeting;

    @JsonPropertyDescription("How the model decides the caller finished speaking.")
    private TurnDetection turnDetection;

    @JsonPropertyDescription("Transcription of the caller audio.")
    private InputTranscription inputTranscription;

    @JsonPropertyDescription("Input noise reduction: near_field, far_field or none.")
    private NoiseReduction noiseReduction;

    @JsonPropertyDescription("Tools the model may call: built-in end_call, or HTTP tools called by the worker.")
    @Size(max = 64) private List<AgentTool> tools;

    @JsonPropertyDescription("Hard limit for calls answered by this agent.")
    @Min(1) @Max(86400) @Default("3600")
    private Integer maxCallDurationSeconds;

    @JsonPropertyDescription("Prices used to estimate each call's cost from token usage.")
    private PriceTable pricing;

    @JsonPropertyDescription("Secret key holding the OpenAI API key. Without it the embedded local agent answers.")
    private SecretKeyRef openaiApiKeySecret;

    @JsonPropertyDescription("Secret key holding the WhatsApp Graph API access token for these numbers.")
    private SecretKeyRef whatsappAccessTokenSecret;

    public List<String> getPhoneNumberIds() {
        return phoneNumberIds;
    }

    public void setPhoneNumberIds(List<String> phoneNumberIds) {
        this.phoneNumberIds = phoneNumberIds;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
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
}
