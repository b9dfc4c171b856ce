package dev.voicebridge.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.operator.whatsapp.GraphOutcome;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The series docs/operator.md and the chart's dashboard name, in the Prometheus text format, with
 * the histogram buckets the dashboard's quantiles are computed from.
 */
class OperatorMetricsTest {
    @Test
    void theDocumentedSeriesAreExportedUnderTheirNames() {
        var metrics = new OperatorMetrics();
        metrics.callsByPhase(() -> Map.of(CallPhase.Connected, 3L));
        metrics.setupLatency(Duration.ofMillis(1500));
        metrics.reconciled();
        metrics.placed();
        metrics.placementFailed("AllFull");
        metrics.callEnded(EndReason.CallerHangup);
        metrics.graphRequest("accept", new GraphOutcome.Success(200, "wacid.1"), Duration.ofMillis(80));
        metrics.graphRequest(
                "pre_accept",
                new GraphOutcome.Failure(400, 1L, "oops", null, null, false, EndReason.CallerHangup),
                Duration.ofMillis(40));

        String text = metrics.scrape();
        assertThat(text)
                .contains("# TYPE voicebridge_calls gauge")
                .contains("voicebridge_calls{phase=\"Connected\"} 3")
                .contains("voicebridge_calls{phase=\"Pending\"} 0")
                .contains("# TYPE voicebridge_call_setup_seconds histogram")
                .contains("voicebridge_call_setup_seconds_bucket{le=\"1.0\"} 0")
                .contains("voicebridge_call_setup_seconds_bucket{le=\"2.0\"} 1")
                .contains("voicebridge_call_setup_seconds_bucket{le=\"+Inf\"} 1")
                .contains("voicebridge_call_setup_seconds_count 1")
                .contains("voicebridge_reconciliations_total 1")
                .contains("voicebridge_placements_total 1")
                .contains("voicebridge_placement_failures_total{reason=\"AllFull\"} 1")
                .contains("voicebridge_calls_ended_total{reason=\"CallerHangup\"} 1")
                .contains("voicebridge_graph_request_seconds_bucket{action=\"accept\",le=\"0.1\"} 1")
                .contains("voicebridge_graph_request_seconds_count{action=\"accept\"} 1")
                .contains("voicebridge_graph_errors_total{action=\"pre_accept\",code=\"1\"} 1");
        assertThat(metrics.reconciliations()).isEqualTo(1);
        assertThat(metrics.graphErrorCount()).isEqualTo(1);
        assertThat(metrics.setupLatencyCount()).isEqualTo(1);
    }
}
