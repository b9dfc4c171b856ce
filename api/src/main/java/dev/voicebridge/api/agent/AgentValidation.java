package dev.voicebridge.api.agent;

import dev.voicebridge.api.v1alpha1.AgentOverrides;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.PriceTable;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a VoiceAgent before any call needs it: the API exists, the model belongs to it, the
 * price table fits its billing model, the fields it cannot honour are unset, and every Secret it
 * references can serve its use. Pure: Secrets are looked up through the {@link SecretCheck} the
 * caller passes (the operator and the media worker each read them their own way). The operator writes the result as
 * the agent's Ready condition; the worker refuses a call whose agent fails it (AgentInvalid).
 */
public final class AgentValidation {
    public static final String REASON_VALID = "Valid";
    public static final String REASON_UNKNOWN_API = "UnknownApi";
    public static final String REASON_MODEL_NOT_IN_API = "ModelNotInApi";
    public static final String REASON_NOT_SUPPORTED = "NotSupportedByApi";
    public static final String REASON_PRICING_MISMATCH = "PricingMismatch";
    public static final String REASON_SECRET_MISSING = "SecretMissing";

    /** One thing wrong with an agent: a stable reason (the condition reason) and a message for people. */
    public record Problem(String reason, String message) {}

    /**
     * @param api the resolved API, null when {@code spec.api} names none
     * @param model the model calls use: the override, else {@code spec.model}, else the API's default
     */
    public record Result(ModelApi api, String model, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }

        /** The first problem's reason, or {@link #REASON_VALID}. */
        public String reason() {
            return problems.isEmpty() ? REASON_VALID : problems.get(0).reason();
        }

        /** Every problem's message, in order. */
        public String message() {
            if (problems.isEmpty()) {
                return "api " + api.name() + ", model " + model;
            }
            return String.join("; ", problems.stream().map(Problem::message).toList());
        }
    }

    private AgentValidation() {}

    public static Result validate(VoiceAgentSpec spec, SecretCheck secrets) {
        return validate(spec, null, secrets);
    }

    /** The agent as one call uses it: the call's overrides may name another model. */
    public static Result validate(VoiceAgentSpec spec, AgentOverrides overrides, SecretCheck secrets) {
        var problems = new ArrayList<Problem>();
        String apiName = spec.getApi() == null || spec.getApi().isBlank() ? ModelApis.REALTIME : spec.getApi();
        var api = ModelApis.byName(apiName).orElse(null);
        String model = firstNonBlank(overrides == null ? null : overrides.getModel(), spec.getModel());
        if (api == null) {
            problems.add(new Problem(
                    REASON_UNKNOWN_API,
                    "api '" + apiName + "' is not one voicebridge speaks (" + String.join(", ", ModelApis.names())
                            + ")"));
        } else {
            model = model == null ? api.defaultModel() : model;
            checkModel(api, model, problems);
            checkFields(api, spec, problems);
            checkPricing(api, spec.getPricing(), problems);
        }
        checkSecrets(spec, secrets, problems);
        return new Result(api, model, problems);
    }

    private static void checkModel(ModelApi api, String model, List<Problem> problems) {
        if (api.owns(model)) {
            return;
        }
        String other = ModelApis.owning(model)
                .map(o -> " (it is a model of api " + o.name() + ")")
                .orElse("");
        problems.add(new Problem(
                REASON_MODEL_NOT_IN_API,
                "model '" + model + "' does not belong to api " + api.name() + other + "; " + api.name() + " models: "
                        + String.join(
                                ", ",
                                api.listPrices().keySet().stream().sorted().toList())));
    }

    private static void checkFields(ModelApi api, VoiceAgentSpec spec, List<Problem> problems) {
        var set = new ArrayList<String>();
        for (String field : api.realtimeOnlyFields()) {
            Object value =
                    switch (field) {
                        case "speed" -> spec.getSpeed();
                        case "turnDetection" -> spec.getTurnDetection();
                        case "inputTranscription" -> spec.getInputTranscription();
                        case "noiseReduction" -> spec.getNoiseReduction();
                        default -> throw new IllegalStateException("unknown field " + field);
                    };
            if (value != null) {
                set.add(field);
            }
        }
        if (ModelApis.relaysOverWebRtc(spec) && !ModelApis.REALTIME.equals(api.name())) {
            problems.add(new Problem(
                    REASON_NOT_SUPPORTED,
                    "modelTransport webrtc is available for api realtime only (api " + api.name()
                            + " takes the websocket path): remove it"));
        }
        if (!set.isEmpty()) {
            problems.add(new Problem(
                    REASON_NOT_SUPPORTED,
                    "api " + api.name() + " cannot honour " + String.join(", ", set)
                            + " (the model decides turns and barge-in itself): remove "
                            + (set.size() == 1 ? "it" : "them")));
        }
    }

    private static void checkPricing(ModelApi api, PriceTable t, List<Problem> problems) {
        if (t == null) {
            return;
        }
        var tokens = new LinkedHashMap<String, Double>();
        tokens.put("audioInput", t.getAudioInput());
        tokens.put("cachedAudioInput", t.getCachedAudioInput());
        tokens.put("audioOutput", t.getAudioOutput());
        tokens.put("textInput", t.getTextInput());
        tokens.put("cachedTextInput", t.getCachedTextInput());
        tokens.put("textOutput", t.getTextOutput());
        var session = new LinkedHashMap<String, Double>();
        session.put("activePerMinute", t.getActivePerMinute());
        session.put("standbyPerMinute", t.getStandbyPerMinute());
        session.put("backendInput", t.getBackendInput());
        session.put("backendCachedInput", t.getBackendCachedInput());
        session.put("backendOutput", t.getBackendOutput());
        var foreign =
                switch (api.billing()) {
                    case TOKENS -> set(session);
                    case SESSION_TIME -> set(tokens);
                };
        if (!foreign.isEmpty()) {
            String billed = api.billing() == ModelApi.Billing.TOKENS
                    ? "per token (audioInput … textOutput)"
                    : "per minute of session (activePerMinute) plus backend tokens (backendInput … backendOutput)";
            problems.add(new Problem(
                    REASON_PRICING_MISMATCH,
                    "pricing sets " + String.join(", ", foreign) + ", which api " + api.name()
                            + " does not bill; it bills " + billed));
        }
    }

    private static List<String> set(Map<String, Double> fields) {
        return fields.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(Map.Entry::getKey)
                .toList();
    }

    private record SecretUse(SecretKeyRef ref, SecretCheck.Use use) {}

    private static void checkSecrets(VoiceAgentSpec spec, SecretCheck secrets, List<Problem> problems) {
        var refs = new LinkedHashMap<String, SecretUse>();
        refs.put("openaiApiKeySecret", new SecretUse(spec.getOpenaiApiKeySecret(), SecretCheck.Use.OPENAI_KEY));
        refs.put(
                "whatsappAccessTokenSecret",
                new SecretUse(spec.getWhatsappAccessTokenSecret(), SecretCheck.Use.WHATSAPP_TOKEN));
        if (spec.getTools() != null) {
            for (AgentTool tool : spec.getTools()) {
                if (tool.getHttp() != null) {
                    refs.put(
                            "tools[" + tool.getName() + "].http.bearerTokenSecret",
                            new SecretUse(tool.getHttp().getBearerTokenSecret(), SecretCheck.Use.TOOL_TOKEN));
                }
            }
        }
        refs.forEach((field, u) -> {
            String problem = u.ref() == null ? null : secrets.problem(u.ref(), u.use());
            if (problem != null) {
                problems.add(new Problem(REASON_SECRET_MISSING, field + ": " + problem));
            }
        });
    }

    private static String firstNonBlank(String... values) {
        for (var v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
