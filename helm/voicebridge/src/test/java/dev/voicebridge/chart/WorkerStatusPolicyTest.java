package dev.voicebridge.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admission policy that narrows the media worker's status writes to the calls assigned to the
 * writing pod: rendered only where the API exists (Kubernetes 1.30+), and its CEL expressions
 * evaluated with Google's CEL implementation against the admission requests a worker, another
 * worker and the operator would send.
 */
class WorkerStatusPolicyTest {
    static final String WORKER = "system:serviceaccount:calls:vb-media-worker";
    static final String POD_NAME = "authentication.kubernetes.io/pod-name";

    static List<GenericKubernetesResource> render(String kubeVersion, Map<String, String> values) {
        var template = new Helm(ChartTest.CHART)
                .template()
                .withName("vb")
                .withNamespace("calls")
                .withKubeVersion(kubeVersion);
        values.forEach(template::set);
        return ChartTest.parse(template.call());
    }

    static GenericKubernetesResource policy(List<GenericKubernetesResource> docs) {
        return docs.stream()
                .filter(d -> d.getKind().equals("ValidatingAdmissionPolicy"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void renderedFromKubernetes130OnOrWhenForcedAndBoundToTheReleaseNamespace() {
        assertThat(render(ChartTest.KUBE_VERSION, Map.of()))
                .as("Kubernetes 1.23 has no ValidatingAdmissionPolicy v1")
                .noneMatch(d -> d.getKind().startsWith("ValidatingAdmissionPolicy"));
        assertThat(render("1.31.0", Map.of("mediaWorker.statusPolicy", "false")))
                .noneMatch(d -> d.getKind().startsWith("ValidatingAdmissionPolicy"));
        assertThat(render(ChartTest.KUBE_VERSION, Map.of("mediaWorker.statusPolicy", "true")))
                .anyMatch(d -> d.getKind().equals("ValidatingAdmissionPolicy"));

        var docs = render("1.31.0", Map.of());
        var policy = policy(docs);
        assertThat(policy.getMetadata().getName()).isEqualTo("calls-vb-worker-status");
        var binding = docs.stream()
                .filter(d -> d.getKind().equals("ValidatingAdmissionPolicyBinding"))
                .findFirst()
                .orElseThrow();
        assertThat(binding.getAdditionalProperties().toString())
                .contains("policyName=calls-vb-worker-status")
                .contains("validationActions=[Deny]")
                .contains("kubernetes.io/metadata.name=calls");
        assertThat(policy.getAdditionalProperties().toString())
                .contains("failurePolicy=Fail")
                .contains("resources=[voicecalls/status]")
                .contains("operations=[UPDATE]");
    }

    @Test
    void aWorkerWritesTheStatusOfItsOwnCallsOnlyAndNeverTheAssignment() throws Exception {
        var policy = new Policy(policy(render("1.31.0", Map.of())));

        assertThat(policy.applies(request("system:serviceaccount:calls:vb-operator", null)))
                .as("the operator's writes are not this policy's business")
                .isFalse();
        assertThat(policy.applies(request("system:serviceaccount:other:vb-media-worker", "worker-a")))
                .isFalse();
        assertThat(policy.applies(request(WORKER, "worker-a"))).isTrue();

        var own = call("worker-a", 1);
        assertThat(policy.allows(request(WORKER, "worker-a"), own, withMedia(own)))
                .isTrue();
        assertThat(policy.allows(request(WORKER, "worker-b"), own, withMedia(own)))
                .as("another worker's call")
                .isFalse();
        assertThat(policy.allows(request(WORKER, null), own, withMedia(own)))
                .as("a token without the pod name (before Kubernetes 1.30, or not a pod's)")
                .isFalse();
        var unassigned = new HashMap<String, Object>(Map.of("metadata", Map.of("name", "wa-x")));
        assertThat(policy.allows(request(WORKER, "worker-a"), unassigned, withMedia(unassigned)))
                .as("a call assigned to nobody")
                .isFalse();
        assertThat(policy.allows(request(WORKER, "worker-a"), own, call("worker-a", 2)))
                .as("re-placing the call (the operator's part)")
                .isFalse();
        assertThat(policy.allows(request(WORKER, "worker-a"), own, call("worker-b", 1)))
                .as("handing the call to another worker")
                .isFalse();
        assertThat(policy.allows(request(WORKER, "worker-a"), call("worker-b", 2), withMedia(call("worker-b", 2))))
                .as("a call re-placed away from this worker: its late writes are refused")
                .isFalse();
    }

    static Map<String, Object> request(String username, String podName) {
        var user = new HashMap<String, Object>();
        user.put("username", username);
        user.put("extra", podName == null ? Map.of() : Map.of(POD_NAME, List.of(podName)));
        return Map.of("userInfo", user);
    }

    static Map<String, Object> call(String worker, int attempt) {
        var status = new HashMap<String, Object>();
        status.put("phase", "Assigned");
        status.put("assignment", Map.of("worker", worker, "attempt", (long) attempt, "node", "n1"));
        var call = new HashMap<String, Object>();
        call.put("metadata", Map.of("name", "wa-x"));
        call.put("status", status);
        return call;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> withMedia(Map<String, Object> call) {
        var copy = new HashMap<>(call);
        var status = new HashMap<String, Object>((Map<String, Object>) call.getOrDefault("status", Map.of()));
        status.put("media", Map.of("answeredAt", "2026-12-06T10:00:00Z"));
        copy.put("status", status);
        return copy;
    }

    /** The policy's match condition and validations, compiled as the API server would. */
    static final class Policy {
        private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("request", SimpleType.DYN)
                .addVar("object", SimpleType.DYN)
                .addVar("oldObject", SimpleType.DYN)
                .build();
        private static final CelRuntime RUNTIME =
                CelRuntimeFactory.standardCelRuntimeBuilder().build();

        private final List<CelRuntime.Program> conditions;
        private final List<CelRuntime.Program> validations;

        @SuppressWarnings("unchecked")
        Policy(GenericKubernetesResource policy) throws Exception {
            var spec = (Map<String, Object>) policy.getAdditionalProperties().get("spec");
            conditions = programs((List<Map<String, Object>>) spec.get("matchConditions"));
            validations = programs((List<Map<String, Object>>) spec.get("validations"));
            assertThat(conditions).hasSize(1);
            assertThat(validations).hasSize(2);
        }

        private static List<CelRuntime.Program> programs(List<Map<String, Object>> entries) throws Exception {
            var programs = new java.util.ArrayList<CelRuntime.Program>();
            for (var entry : entries) {
                var ast = COMPILER.compile((String) entry.get("expression")).getAst();
                programs.add(RUNTIME.createProgram(ast));
            }
            return programs;
        }

        boolean applies(Map<String, Object> request) throws Exception {
            for (var condition : conditions) {
                if (!(Boolean) condition.eval(Map.of("request", request))) {
                    return false;
                }
            }
            return true;
        }

        boolean allows(Map<String, Object> request, Map<String, Object> oldObject, Map<String, Object> object)
                throws Exception {
            for (var validation : validations) {
                Object result = validation.eval(Map.of("request", request, "object", object, "oldObject", oldObject));
                if (!Boolean.TRUE.equals(result)) {
                    return false;
                }
            }
            return true;
        }
    }
}
