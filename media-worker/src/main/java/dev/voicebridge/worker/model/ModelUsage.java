package dev.voicebridge.worker.model;

/**
 * What a model session billed, in every unit an API bills in: the voice model's tokens (the
 * Realtime API), seconds of session time (GPT-Live), and the tokens of the backend model tool
 * calls are delegated to (GPT-Live's Responses delegation). Adapters report increments; the call
 * agent sums them over the call's sessions.
 */
public record ModelUsage(TokenUsage voice, double sessionSeconds, TokenUsage backend) {
    public static final ModelUsage ZERO = new ModelUsage(TokenUsage.ZERO, 0, TokenUsage.ZERO);

    public static ModelUsage tokens(TokenUsage voice) {
        return new ModelUsage(voice, 0, TokenUsage.ZERO);
    }

    public static ModelUsage seconds(double seconds) {
        return new ModelUsage(TokenUsage.ZERO, seconds, TokenUsage.ZERO);
    }

    public static ModelUsage backend(TokenUsage backend) {
        return new ModelUsage(TokenUsage.ZERO, 0, backend);
    }

    public ModelUsage plus(ModelUsage o) {
        return new ModelUsage(voice.plus(o.voice), sessionSeconds + o.sessionSeconds, backend.plus(o.backend));
    }

    public boolean isZero() {
        return voice.isZero() && sessionSeconds == 0 && backend.isZero();
    }
}
