package dev.voicebridge.chart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Checks rendered manifests against the Kubernetes API types (Fabric8's model, generated from the
 * Kubernetes OpenAPI schemas): each document is read into the type of its apiVersion and kind, a
 * value of the wrong type fails, and so does any field the type does not have. Fabric8's model
 * keeps unknown fields in an {@code additionalProperties} map instead of failing, so after
 * reading, every object of the tree is visited and that map must be empty.
 */
final class StrictManifests {
    /** The kinds the chart renders, by apiVersion/kind. A new kind must be added here to be rendered. */
    static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class));

    /** Custom resources of other projects, which Fabric8's model does not know (checked field by field by their own tests). */
    static final List<String> FOREIGN = List.of("keda.sh/v1alpha1/ScaledObject");

    private static final ObjectMapper STRICT =
            Serialization.jsonMapper().copy().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private StrictManifests() {}

    /** The problems of one document: unknown kind, wrong types, or unknown fields with their paths. */
    static List<String> problems(GenericKubernetesResource doc) {
        String key = doc.getApiVersion() + "/" + doc.getKind();
        String where = key + " " + doc.getMetadata().getName();
        if (FOREIGN.contains(key)) {
            return List.of();
        }
        Class<? extends HasMetadata> type = TYPES.get(key);
        if (type == null) {
            return List.of(where + ": kind not known to the check (add its model type)");
        }
        HasMetadata typed;
        try {
            typed = STRICT.readValue(Serialization.asJson(doc), type);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String at = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                    .orElse("");
            return List.of(where + " at " + at + ": " + e.getOriginalMessage());
        } catch (Exception e) {
            return List.of(where + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        visit(typed, where, problems);
        return problems;
    }

    private static void visit(Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                visit(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> visit(v, path + "." + k, problems));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !getter.getName().startsWith("get")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + unknown.keySet());
                }
            } else {
                visit(field, path + "." + property(getter.getName()), problems);
            }
        }
    }

    private static String property(String getter) {
        return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
    }
}
