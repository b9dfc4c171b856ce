package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a CRD's {@code x-kubernetes-validations} rules the way the API server does, with
 * Google's CEL for Java: each rule is bound to its schema node ({@code self}) and, on an update,
 * to the same node of the old object ({@code oldSelf}). As in Kubernetes, a rule runs only where
 * the new object has a value, and a rule that reads {@code oldSelf} (a transition rule) runs only
 * on an update and only where the old object has a value too — which is why a field-level
 * {@code self == oldSelf} cannot stop a field from being added or removed. Transition rules under
 * lists are skipped (the API server correlates only {@code listType: map} items; our CRDs have
 * none). Values are untyped JSON here (CEL {@code dyn}); the API server types them from the schema.
 */
final class CrdRules {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final JSONSchemaProps schema;

    private CrdRules(JSONSchemaProps schema) {
        this.schema = schema;
    }

    /** The rules of a checked-in CRD file, e.g. {@code voicecalls.voicebridge.dev-v1.yml}. */
    static CrdRules of(String file) throws Exception {
        Path dir = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "crds");
        if (!Files.exists(dir.resolve(file))) {
            dir = Path.of("..", "crds");
        }
        var crd = Serialization.unmarshal(Files.readString(dir.resolve(file)), CustomResourceDefinition.class);
        return new CrdRules(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema());
    }

    JSONSchemaProps schema() {
        return schema;
    }

    /** Messages of the rules a create of {@code object} fails. */
    List<String> create(ObjectNode object) {
        List<String> failed = new ArrayList<>();
        walk(schema, object, null, "", failed);
        return failed;
    }

    /** Messages of the rules an update from {@code old} to {@code object} fails. */
    List<String> update(ObjectNode old, ObjectNode object) {
        List<String> failed = new ArrayList<>();
        walk(schema, object, old, "", failed);
        return failed;
    }

    /** Every rule of the schema, with its path (to check that each compiles). */
    Map<String, ValidationRule> rules() {
        Map<String, ValidationRule> all = new LinkedHashMap<>();
        collect(schema, "", all);
        return all;
    }

    private static void collect(JSONSchemaProps node, String path, Map<String, ValidationRule> all) {
        if (node.getXKubernetesValidations() != null) {
            node.getXKubernetesValidations().forEach(r -> all.put(path + " " + r.getRule(), r));
        }
        if (node.getProperties() != null) {
            node.getProperties().forEach((name, child) -> collect(child, path + "." + name, all));
        }
        if (node.getItems() != null && node.getItems().getSchema() != null) {
            collect(node.getItems().getSchema(), path + "[]", all);
        }
    }

    private void walk(JSONSchemaProps node, JsonNode value, JsonNode old, String path, List<String> failed) {
        if (node.getXKubernetesValidations() != null) {
            for (ValidationRule rule : node.getXKubernetesValidations()) {
                if (Boolean.TRUE.equals(rule.getOptionalOldSelf())) {
                    throw new IllegalStateException("optionalOldSelf is not modelled here: " + rule.getRule());
                }
                boolean transition = rule.getRule().contains("oldSelf");
                if (transition && old == null) {
                    continue;
                }
                if (!evaluate(rule.getRule(), value, old)) {
                    failed.add((path.isEmpty() ? "<root>" : path) + ": "
                            + (rule.getMessage() != null ? rule.getMessage() : "failed rule: " + rule.getRule()));
                }
            }
        }
        if (node.getProperties() != null && value.isObject()) {
            node.getProperties().forEach((name, child) -> {
                JsonNode childValue = value.get(name);
                if (childValue != null && !childValue.isNull()) {
                    JsonNode childOld = old == null
                                    || old.get(name) == null
                                    || old.get(name).isNull()
                            ? null
                            : old.get(name);
                    walk(child, childValue, childOld, path + "." + name, failed);
                }
            });
        }
        if (node.getItems() != null && node.getItems().getSchema() != null && value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                walk(node.getItems().getSchema(), value.get(i), null, path + "[" + i + "]", failed);
            }
        }
    }

    static CelAbstractSyntaxTree compile(String rule) {
        var result = COMPILER.compile(rule);
        if (result.hasError()) {
            throw new IllegalArgumentException("rule does not compile: " + rule + "\n" + result.getErrorString());
        }
        try {
            return result.getAst();
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(rule, e);
        }
    }

    private static boolean evaluate(String rule, JsonNode self, JsonNode oldSelf) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("self", plain(self));
        if (oldSelf != null) {
            vars.put("oldSelf", plain(oldSelf));
        }
        try {
            return Boolean.TRUE.equals(RUNTIME.createProgram(compile(rule)).eval(vars));
        } catch (CelEvaluationException e) {
            // The API server reports an evaluation error (e.g. a missing key) as a failed rule.
            return false;
        }
    }

    /** JSON as CEL's Java runtime expects it: maps, lists, strings, longs, doubles, booleans. */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(e -> list.add(plain(e)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
