package dev.voicebridge.worker.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.EndReason;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker's spans leave the process over OTLP/gRPC, to a collector on loopback: the exporter,
 * its transport and their libraries work together at run time, and closing flushes.
 */
@Timeout(30)
class OtlpExportIT {
    @Test
    void closingFlushesTheCallsSpansToTheCollector() throws Exception {
        try (var collector = new FakeOtlpReceiver()) {
            var telemetry = WorkerTelemetry.create(collector.endpoint());
            var trace = telemetry.calls().begin("vc-exported-7", "bridge", null);
            trace.answer(trace.now(), trace.now(), null);
            trace.ended(EndReason.AgentHangup, trace.now());
            telemetry.close();

            assertThat(collector.requests).isNotEmpty();
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
}
