package dev.voicebridge.api.agent;

import java.util.List;
import java.util.Map;

/**
 * One voice API a VoiceAgent can choose ({@code spec.api}): how it bills, which models belong to
 * it and their list prices. The catalogue is {@link ModelApis}; the media worker has one adapter per
 * entry.
 *
 * @param modelPrefixes a model belongs to this API when its name starts with one of these
 * @param listPrices list prices by model name; a model of the API that is not listed is priced like
 *     {@code defaultModel}
 * @param defaultBackendModel the Responses model tool calls are delegated to, or null when the API
 *     runs tools itself
 * @param backendPrices list prices of backend models (their backend fields only)
 * @param realtimeOnlyFields VoiceAgent fields this API cannot honour (a spec setting one is invalid)
 */
public record ModelApi(
        String name,
        Billing billing,
        String defaultModel,
        List<String> modelPrefixes,
        Map<String, ListPrice> listPrices,
        String defaultBackendModel,
        Map<String, ListPrice> backendPrices,
        List<String> realtimeOnlyFields) {

    /** What a call's cost is computed from. */
    public enum Billing {
        /** The voice model's tokens, by kind (the Realtime API). */
        TOKENS,
        /** Seconds of session time, plus the delegated backend model's tokens (GPT-Live). */
        SESSION_TIME
    }

    public ModelApi {
        modelPrefixes = List.copyOf(modelPrefixes);
        listPrices = Map.copyOf(listPrices);
        backendPrices = Map.copyOf(backendPrices);
        realtimeOnlyFields = List.copyOf(realtimeOnlyFields);
    }

    public boolean owns(String model) {
        return model != null && modelPrefixes.stream().anyMatch(model::startsWith);
    }

    /** The list price of a model of this API (and of its backend model, when it has one). */
    public ListPrice listPrice(String model, String backendModel) {
        var voice = listPrices.getOrDefault(model, listPrices.get(defaultModel));
        if (defaultBackendModel == null) {
            return voice;
        }
        var backend = backendPrices.getOrDefault(
                backendModel == null ? defaultBackendModel : backendModel, backendPrices.get(defaultBackendModel));
        return voice.withBackend(backend.backendInput(), backend.backendCachedInput(), backend.backendOutput());
    }
}
