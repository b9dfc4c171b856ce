package dev.voicebridge.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.Crds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks the CRDs the build generated from the model (the same bytes as the checked-in ones). */
class GeneratedCrdTest {

    static CustomResourceDefinition load(String plural) {
        return plural.equals("voicecalls") ? Crds.voiceCalls() : Crds.voiceAgents();
    }

    static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
        assertThat(crd.getSpec().getVersions()).hasSize(1);
        return crd.getSpec().getVersions().get(0);
    }

    static JSONSchemaProps prop(JSONSchemaProps schema, String... path) {
        JSONSchemaProps p = schema;
        for (String step : path) {
            p = p.getProperties().get(step);
            assertThat(p).as("schema property %s", String.join(".", path)).isNotNull();
        }
        return p;
    }

    @Test
    void voiceCallHasNamesStatusSubresourceAndPrinterColumns() {
        var crd = load("voicecalls");
        assertThat(crd.getSpec().getGroup()).isEqualTo("voicebridge.dev");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vc");
        var v = version(crd);
        assertThat(v.getName()).isEqualTo("v1alpha1");
        assertThat(v.getSubresources().getStatus()).isNotNull();
        // kubectl prints the columns in this order (the generator alone sorts them by JSON path).
        assertThat(v.getAdditionalPrinterColumns())
                .extracting(c -> c.getName() + "=" + c.getJsonPath())
                .containsExactly(
                        "Phase=.status.phase",
                        "From=.spec.callerDisplay",
                        "Agent=.spec.agentRef",
                        "Worker=.status.assignment.worker",
                        "Duration=.status.timestamps.durationSeconds",
                        "Age=.metadata.creationTimestamp",
                        "Reason=.status.end.reason");
        assertThat(v.getAdditionalPrinterColumns())
                .extracting(c -> c.getName() + ":" + c.getPriority())
                .endsWith("Reason:1");
    }

    /**
     * Lists select calls by phase and by worker on the API server ({@code kubectl get vc
     * --field-selector status.phase=Connected}, Kubernetes 1.31 and later): the phase is no label.
     * The API server accepts a selectable field only on a string, integer or boolean of the schema.
     */
    @Test
    void voiceCallListsCanSelectByPhaseAndWorker() {
        var v = version(load("voicecalls"));
        assertThat(v.getSelectableFields())
                .extracting(f -> f.getJsonPath())
                .containsExactlyInAnyOrder(".status.phase", ".status.assignment.worker");
        var schema = v.getSchema().getOpenAPIV3Schema();
        assertThat(prop(schema, "status", "phase").getType()).isEqualTo("string");
        assertThat(prop(schema, "status", "assignment", "worker").getType()).isEqualTo("string");
    }

    @Test
    void voiceCallSchemaValidatesWhatKubernetesCanEnforce() {
        var schema = version(load("voicecalls")).getSchema().getOpenAPIV3Schema();
        var spec = prop(schema, "spec");
        assertThat(spec.getRequired()).contains("callId", "source", "acceptBy");
        assertThat(prop(spec, "sdpOffer").getMaxLength()).isEqualTo(65536L);
        assertThat(prop(spec, "source").getEnum()).extracting(Object::toString).contains("\"whatsapp\"", "\"api\"");
        assertThat(prop(spec, "maxDurationSeconds").getMinimum()).isEqualTo(1.0);
        assertThat(prop(spec, "callId").getXKubernetesValidations())
                .anySatisfy(r -> assertThat(r.getRule()).isEqualTo("self == oldSelf"));
        assertThat(spec.getXKubernetesValidations())
                .anySatisfy(r -> assertThat(r.getMessage()).contains("cannot be withdrawn"));
        assertThat(prop(schema, "status", "phase").getEnum())
                .extracting(Object::toString)
                .containsExactlyInAnyOrder(
                        "\"Pending\"",
                        "\"Assigned\"",
                        "\"Answered\"",
                        "\"Ringing\"",
                        "\"Connected\"",
                        "\"Ended\"",
                        "\"Failed\"");
        assertThat(prop(schema, "status", "end", "reason").getEnum()).hasSize(EndReason.values().length);
        assertThat(prop(schema, "status", "agent", "transcript").getMaxItems()).isEqualTo(50L);
    }

    @Test
    void everyFieldIsDescribed() {
        for (String plural : List.of("voicecalls", "voiceagents")) {
            var schema = version(load(plural)).getSchema().getOpenAPIV3Schema();
            assertDescribed(plural, prop(schema, "spec"));
            assertDescribed(plural, prop(schema, "status"));
        }
    }

    private static void assertDescribed(String where, JSONSchemaProps p) {
        if (p.getProperties() == null) {
            return;
        }
        p.getProperties().forEach((name, child) -> {
            boolean isConditionInternals = where.contains(".conditions");
            if (!isConditionInternals) {
                assertThat(child.getDescription())
                        .as("description of %s.%s", where, name)
                        .isNotBlank();
            }
            assertDescribed(where + "." + name, child);
            if (child.getItems() != null && child.getItems().getSchema() != null) {
                assertDescribed(where + "." + name, child.getItems().getSchema());
            }
        });
    }

    @Test
    void voiceAgentHasPrinterColumnsDefaultsAndSecretRefs() {
        var crd = load("voiceagents");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("va");
        var v = version(crd);
        assertThat(v.getSubresources().getStatus()).isNotNull();
        assertThat(v.getAdditionalPrinterColumns())
                .extracting(c -> c.getName())
                .containsExactly("API", "Model", "Voice", "Numbers", "Ready", "Age");
        var spec = prop(v.getSchema().getOpenAPIV3Schema(), "spec");
        // The API is a plain string (an unknown one is reported on the agent's status, and a new
        // provider needs no schema change); the model's default depends on the API, so the schema has none.
        assertThat(prop(spec, "api").getDefault().asText()).isEqualTo("realtime");
        assertThat(prop(spec, "api").getEnum()).isNullOrEmpty();
        assertThat(prop(spec, "model").getDefault()).isNull();
        assertThat(prop(spec, "idle", "timeoutSeconds").getMinimum()).isEqualTo(5.0);
        assertThat(prop(spec, "pricing").getProperties())
                .containsKeys("audioInput", "textOutput", "activePerMinute", "standbyPerMinute", "backendOutput");
        assertThat(prop(spec, "instructions").getMaxLength()).isEqualTo(32768L);
        assertThat(prop(spec, "openaiApiKeySecret").getRequired()).containsExactlyInAnyOrder("name", "key");
        assertThat(prop(spec, "tools")
                        .getItems()
                        .getSchema()
                        .getProperties()
                        .get("parameters")
                        .getXKubernetesPreserveUnknownFields())
                .isTrue();
        assertThat(prop(spec, "turnDetection", "type").getEnum()).hasSize(3);
    }
}
