package dev.voicebridge.testkit.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Token figures shaped like the real service's {@code response.done.usage}: caller audio ≈ 600
 * tokens/min and model audio ≈ 1200 tokens/min (docs/agent.md, "Models and prices"); the whole conversation is re-billed
 * as input on every response, and what the previous response already billed counts as cached.
 * One per connection, used on its thread.
 */
final class UsageMeter {
    private final ObjectMapper json;
    private long billedInputTokens;

    UsageMeter(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode next(long inputSamples, String instructions, int generatedSamples, String transcript, boolean call) {
        long inAudio = inputSamples * 10 / CallerInput.RATE;
        long inText = instructions.length() / 4 + 4;
        long cachedText = Math.min(inText, billedInputTokens);
        long cachedAudio = Math.min(inAudio, Math.max(0, billedInputTokens - cachedText));
        billedInputTokens = inAudio + inText;
        long outAudio = (long) generatedSamples * 20 / CallerInput.RATE;
        long outText = transcript.length() / 4 + (call ? 8 : 0);
        var u = json.createObjectNode();
        u.put("total_tokens", inAudio + inText + outAudio + outText)
                .put("input_tokens", inAudio + inText)
                .put("output_tokens", outAudio + outText);
        var in = u.putObject("input_token_details")
                .put("text_tokens", inText)
                .put("audio_tokens", inAudio)
                .put("image_tokens", 0)
                .put("cached_tokens", cachedText + cachedAudio);
        in.putObject("cached_tokens_details")
                .put("text_tokens", cachedText)
                .put("audio_tokens", cachedAudio)
                .put("image_tokens", 0);
        u.putObject("output_token_details").put("text_tokens", outText).put("audio_tokens", outAudio);
        return u;
    }
}
