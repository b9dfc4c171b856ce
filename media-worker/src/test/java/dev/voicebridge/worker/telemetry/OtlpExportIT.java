package dev.voicebridge.worker.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.testkit.otlp.FakeOtlpCollector;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker's spans leave the process over OTLP http/protobuf, to a collector on loopback: the
 * exporter, its transport (the JDK's HTTP client) and their libraries work together at run time,
 * and closing flushes.
 */
@Timeout(30)
class OtlpExportIT {
    @Test
    void closingFlushesTheCallsSpansToTheCollector() {
        try (var collector = new FakeOtlpCollector()) {
            var telemetry = WorkerTelemetry.create(collector.endpoint());
            var trace = telemetry.calls().begin("vc-exported-7", "bridge", null);
            trace.answer(trace.now(), trace.now(), null);
            trace.ended(EndReason.AgentHangup, trace.now());
            telemetry.close();

            assertThat(collector.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.path())
                    .isEqualTo("/v1/traces"));
            assertThat(collector.received())
                    .contains(WorkerTelemetry.SERVICE_NAME)
                    .contains("vc-exported-7")
                    .contains("AgentHangup")
                    .contains("answer")
                    .contains("call")
                    // Trace ids travel as 16 raw bytes.
                    .contains(new String(
                            HexFormat.of().parseHex(trace.context().getTraceId()), StandardCharsets.ISO_8859_1));
        }
    }

    /** A standard OTel setting (here the sampler, as {@code OTEL_TRACES_SAMPLER=always_off}) applies. */
    @Test
    void aStandardOtelSettingApplies() {
        try (var collector = new FakeOtlpCollector()) {
            var telemetry = WorkerTelemetry.create(
                    collector.endpoint(), name -> null, Map.of("otel.traces.sampler", "always_off"));
            var trace = telemetry.calls().begin("vc-unsampled", "bridge", null);
            assertThat(trace.context().isSampled()).isFalse();
            trace.ended(EndReason.AgentHangup, trace.now());
            telemetry.close();
            assertThat(collector.received()).doesNotContain("vc-unsampled");
        }
    }
}
