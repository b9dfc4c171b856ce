package dev.voicebridge.chart;

import static dev.voicebridge.chart.ChartTest.CHART;
import static dev.voicebridge.chart.ChartTest.find;
import static dev.voicebridge.chart.ChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the user sees after installing (NOTES.txt) and the `helm test` hook. */
class InstallHooksTest {
    static String notes(Map<String, String> values) {
        var install = new Helm(CHART)
                .install()
                .withName("vb")
                .withNamespace("calls")
                .dryRun()
                .clientOnly();
        values.forEach(install::set);
        return install.call().getOutput();
    }

    @Test
    void notesNameTheWebhookTheSecretsToCreateAndTheNextCommands() {
        String notes = notes(Map.of("agentSecrets.toolTokens[0]", "booking"));
        assertThat(notes)
                .contains("https://<your host>/webhooks/whatsapp")
                .contains("Service vb-signaling-service, port 80")
                .contains("kubectl -n calls create secret generic voicebridge-whatsapp \\")
                .contains("--from-literal=app-secret=", "--from-literal=verify-token=", "--from-literal=access-token=")
                .contains("kubectl -n calls create secret generic voicebridge-call-api --from-literal=api-token=")
                .contains("kubectl -n calls create secret generic voicebridge-openai --from-literal=api-key=")
                .contains("kubectl -n calls label secret booking voicebridge.dev/tool-secret=true")
                .contains("subscribe the app to the \"calls\" webhook field")
                .contains("helm test vb -n calls")
                .contains("kubectl -n calls get voicecalls -w");
        assertThat(notes(Map.of("signaling.service.type", "LoadBalancer", "callApi.existingSecret", "")))
                .contains("kubectl -n calls get svc vb-signaling-service>/webhooks/whatsapp")
                .doesNotContain("voicebridge-call-api");
    }

    @Test
    void theTestHookRunsTheInstallCheckFromTheOperatorImageWithListOnlyRights() {
        var docs = ChartTest.renderWithHooks(Map.of());
        var pod = find(docs, "Pod", "vb-install-check", Pod.class);
        assertThat(pod.getMetadata().getAnnotations()).containsEntry(ChartTest.RENDERED_HOOK, "test");
        var container = pod.getSpec().getContainers().get(0);
        assertThat(container.getImage()).startsWith("ghcr.io/voicebridge/operator:");
        assertThat(container.getCommand())
                .startsWith("java")
                .contains("@/app/jib-classpath-file")
                .endsWith("dev.voicebridge.operator.InstallCheck");
        assertThat(Path.of("../../operator/src/main/java/dev/voicebridge/operator/InstallCheck.java"))
                .exists();
        assertThat(container.getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
                .isEqualTo("VOICEBRIDGE_CHECK_SIGNALING_URL=http://vb-signaling-service.calls.svc"));
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("vb-install-check");
        assertThat(ChartTest.rules(find(docs, "Role", "vb-install-check", Role.class)))
                .containsExactly("voicebridge.dev/voicecalls:list", "voicebridge.dev/voiceagents:list");
        var binding = find(docs, "RoleBinding", "vb-install-check", RoleBinding.class);
        assertThat(binding.getMetadata().getAnnotations()).containsEntry(ChartTest.RENDERED_HOOK, "test");
        assertThat(render(Map.of()))
                .as("hooks are not part of the release's resources")
                .noneMatch(d -> d.getMetadata().getName().equals("vb-install-check"));
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getName())
                .isEqualTo("vb-install-check"));
    }

    @Test
    void everyPodHasAWritableTmpUnderItsReadOnlyRoot() throws Exception {
        var docs = render(Map.of());
        for (String name : java.util.List.of("vb-signaling-service", "vb-operator", "vb-media-worker")) {
            var pod = find(docs, "Deployment", name, io.fabric8.kubernetes.api.model.apps.Deployment.class)
                    .getSpec()
                    .getTemplate()
                    .getSpec();
            var container = pod.getContainers().get(0);
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                    .as(name)
                    .isTrue();
            assertThat(container.getVolumeMounts()).as(name).anySatisfy(m -> assertThat(m.getMountPath())
                    .isEqualTo("/tmp"));
            assertThat(pod.getVolumes()).as(name).anySatisfy(v -> assertThat(v.getEmptyDir())
                    .isNotNull());
        }
        assertThat(Files.readString(Path.of("templates/NOTES.txt"))).doesNotContain("busybox", "curlimages");
    }
}
