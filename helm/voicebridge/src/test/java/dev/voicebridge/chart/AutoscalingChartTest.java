package dev.voicebridge.chart;

import static dev.voicebridge.chart.ChartTest.find;
import static dev.voicebridge.chart.ChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Autoscaling: signaling by CPU, media workers by active calls (KEDA or an HPA on the Pods
 * metric), off by default; and the chart's part of a scale-down that drops no call.
 */
class AutoscalingChartTest {
    @Test
    void offByDefaultWithFixedReplicas() {
        var docs = render(Map.of());
        assertThat(docs)
                .extracting(GenericKubernetesResource::getKind)
                .doesNotContain("HorizontalPodAutoscaler", "ScaledObject");
        assertThat(find(docs, "Deployment", "vb-media-worker", Deployment.class)
                        .getSpec()
                        .getReplicas())
                .isEqualTo(2);
    }

    @Test
    void signalingScalesByCpuAndTheHpaOwnsItsReplicas() {
        var docs = render(Map.of("autoscaling.signaling.enabled", "true", "autoscaling.signaling.maxReplicas", "6"));
        var hpa = find(docs, "HorizontalPodAutoscaler", "vb-signaling-service", HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("vb-signaling-service");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
        var metric = hpa.getSpec().getMetrics().get(0);
        assertThat(metric.getResource().getName()).isEqualTo("cpu");
        assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
        var deployment = find(docs, "Deployment", "vb-signaling-service", Deployment.class);
        assertThat(deployment.getSpec().getReplicas())
                .as("an upgrade must not reset the HPA's count")
                .isNull();
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests())
                .as("utilisation is relative to the CPU request")
                .containsKey("cpu");
    }

    @Test
    void mediaWorkersScaleOnActiveCallsThroughAnHpaOnThePodsMetric() {
        var docs = render(Map.of("autoscaling.mediaWorker.mode", "hpa"));
        var hpa = find(docs, "HorizontalPodAutoscaler", "vb-media-worker", HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("vb-media-worker");
        var pods = hpa.getSpec().getMetrics().get(0).getPods();
        assertThat(pods.getMetric().getName())
                .isEqualTo("voicebridge_worker_calls_active")
                .isIn(ExportedMetrics.all());
        assertThat(pods.getTarget().getType()).isEqualTo("AverageValue");
        assertThat(pods.getTarget().getAverageValue().toString()).isEqualTo("35");
        assertSlowScaleDown(hpa.getSpec().getBehavior().getScaleDown());
        assertThat(find(docs, "Deployment", "vb-media-worker", Deployment.class)
                        .getSpec()
                        .getReplicas())
                .isNull();
        assertThat(docs).extracting(GenericKubernetesResource::getKind).doesNotContain("ScaledObject");
    }

    @Test
    void orThroughAKedaScaledObjectOnPrometheus() {
        var docs = render(Map.of(
                "autoscaling.mediaWorker.mode", "keda",
                "autoscaling.mediaWorker.targetActiveCalls", "20",
                "autoscaling.mediaWorker.keda.serverAddress", "http://prometheus.monitoring:9090"));
        var scaled = docs.stream()
                .filter(d -> d.getKind().equals("ScaledObject"))
                .findFirst()
                .orElseThrow();
        assertThat(scaled.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
        Map<String, Object> spec = scaled.get("spec");
        assertThat(spec)
                .containsEntry(
                        "scaleTargetRef",
                        Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "vb-media-worker"))
                .containsEntry("minReplicaCount", 2)
                .containsEntry("maxReplicaCount", 10);
        @SuppressWarnings("unchecked")
        var trigger = ((List<Map<String, Object>>) spec.get("triggers")).get(0);
        assertThat(trigger).containsEntry("type", "prometheus").containsEntry("metricType", "AverageValue");
        assertThat(trigger.get("metadata"))
                .isEqualTo(Map.of(
                        "serverAddress", "http://prometheus.monitoring:9090",
                        "query", "sum(voicebridge_worker_calls_active{namespace=\"calls\"})",
                        "threshold", "20"));
        Map<String, Object> behavior = scaled.get("spec", "advanced", "horizontalPodAutoscalerConfig", "behavior");
        assertThat(behavior.get("scaleDown"))
                .isEqualTo(Map.of(
                        "stabilizationWindowSeconds",
                        600,
                        "selectPolicy",
                        "Min",
                        "policies",
                        List.of(Map.of("type", "Pods", "value", 1, "periodSeconds", 300))));
        assertThat(docs).extracting(GenericKubernetesResource::getKind).doesNotContain("HorizontalPodAutoscaler");
    }

    @Test
    void scaleDownDropsNoCall() {
        var docs = render(Map.of("autoscaling.mediaWorker.mode", "hpa"));
        // The operator keeps each worker's pod-deletion-cost at its calls, so a scale-down removes
        // the emptiest worker first: it needs patch on pods (nothing else on them).
        assertThat(ChartTest.rules(find(docs, "Role", "vb-operator", io.fabric8.kubernetes.api.model.rbac.Role.class)))
                .contains("/pods:get,list,watch,patch");
        // A removed worker drains: the chart gives it its grace period and makes it end its last
        // calls only just before the kubelet's SIGKILL.
        var pod = find(docs, "Deployment", "vb-media-worker", Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(900L);
        assertThat(ChartTest.env(docs, "vb-media-worker", "VOICEBRIDGE_WORKER_DRAIN_TIMEOUT")
                        .getValue())
                .isEqualTo("870s");
        var longer = render(Map.of("mediaWorker.terminationGracePeriodSeconds", "3600"));
        assertThat(ChartTest.env(longer, "vb-media-worker", "VOICEBRIDGE_WORKER_DRAIN_TIMEOUT")
                        .getValue())
                .isEqualTo("3570s");
    }

    @Test
    void aMinimumAboveTheMaximumIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> render(Map.of(
                        "autoscaling.mediaWorker.mode", "hpa",
                        "autoscaling.mediaWorker.minReplicas", "5",
                        "autoscaling.mediaWorker.maxReplicas", "3")))
                .hasMessageContaining("autoscaling.mediaWorker: minReplicas (5) is above maxReplicas (3)");
    }

    static void assertSlowScaleDown(io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules rules) {
        assertThat(rules.getStabilizationWindowSeconds()).isEqualTo(600);
        assertThat(rules.getSelectPolicy()).isEqualTo("Min");
        assertThat(rules.getPolicies())
                .singleElement()
                .extracting(HPAScalingPolicy::getType, HPAScalingPolicy::getValue, HPAScalingPolicy::getPeriodSeconds)
                .containsExactly("Pods", 1, 300);
    }
}
