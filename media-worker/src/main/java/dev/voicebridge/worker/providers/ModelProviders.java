package dev.voicebridge.worker.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.worker.live.LiveSettings;
import dev.voicebridge.worker.model.ModelProvider;
import dev.voicebridge.worker.realtime.EmbeddedRealtimeClient;
import dev.voicebridge.worker.realtime.RealtimeProvider;
import dev.voicebridge.worker.realtime.RealtimeSettings;
import java.util.function.Function;

/**
 * Which adapter answers a call: the VoiceAgent's {@code api} picks it, and without an API key the
 * embedded local agent answers whatever the API. A new provider is one more case here (its adapter
 * and its settings) plus its entry in {@link ModelApis}.
 */
public record ModelProviders(RealtimeSettings realtime, LiveSettings live) {

    public static final ModelProviders DEFAULTS = new ModelProviders(RealtimeSettings.DEFAULTS, LiveSettings.DEFAULTS);

    /** Reads {@code voicebridge.realtime.*} and {@code voicebridge.live.*}. */
    public static ModelProviders from(Function<String, String> source) {
        return new ModelProviders(RealtimeSettings.from(source), LiveSettings.from(source));
    }

    /**
     * @param api the VoiceAgent's {@code spec.api} (null: realtime); validated before a call starts
     * @param apiKey the agent's OpenAI key from its Secret, or null/blank for the embedded agent
     * @throws IllegalArgumentException for an API no adapter speaks (the agent was not validated)
     */
    public ModelProvider forAgent(String api, String apiKey, ObjectMapper json) {
        if (apiKey == null || apiKey.isBlank()) {
            return new RealtimeProvider(new EmbeddedRealtimeClient(realtime.embedded()));
        }
        String name = api == null || api.isBlank() ? ModelApis.REALTIME : api;
        return switch (name) {
            case ModelApis.REALTIME -> new RealtimeProvider(realtime.clientFor(apiKey, json));
            case ModelApis.LIVE -> live.provider(apiKey, json);
            default -> throw new IllegalArgumentException("no adapter for api '" + name + "'");
        };
    }
}
