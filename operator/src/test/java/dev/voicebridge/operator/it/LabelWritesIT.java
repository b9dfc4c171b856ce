package dev.voicebridge.operator.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.operator.config.ConfigKey;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A call's labels are written once: the worker label at placement, which the worker's informer
 * selects on. The phase is in {@code status.phase} only (lists filter on it through the CRD's
 * selectable field); mirroring it into a label cost one more API write at every phase change.
 */
class LabelWritesIT extends OneWorkerOperatorIT {
    @Override
    Map<ConfigKey, String> settings() {
        // A short retention: the call's deletion marks the end of everything the operator does to it.
        return Map.of(ConfigKey.VOICEBRIDGE_RETENTION, "1s");
    }

    @Test
    void aCallThroughAllItsPhasesGetsOneLabelsPatchTheWorkerLabel() throws InterruptedException {
        String path = "/apis/voicebridge.dev/v1alpha1/namespaces/" + OperatorHarness.NAMESPACE + "/voicecalls/"
                + CallNames.forCallId("wacid.labels");

        h.connect("wacid.labels"); // Pending, Assigned, Answered, Connected
        h.workerEnds("wacid.labels", EndReason.CallerHangup); // Ended, then collected

        List<String> labelPatches = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean deleted = false;
        while (!deleted && System.nanoTime() < deadline) {
            RecordedRequest r = kube.takeRequest(1, TimeUnit.SECONDS);
            if (r == null || !bare(r).equals(path)) {
                continue;
            }
            deleted = r.getMethod().equals("DELETE");
            String body = r.getBody() == null ? "" : new String(r.getBody().getBytes(), UTF_8);
            if (r.getMethod().equals("PATCH") && body.contains("\"labels\"")) {
                labelPatches.add(body);
            }
        }
        assertThat(deleted).as("the ended call is collected").isTrue();
        assertThat(labelPatches)
                .as("labels patches on the call from its creation to its deletion")
                .singleElement()
                .satisfies(body -> assertThat(body)
                        .contains("\"" + Labels.WORKER + "\":\"worker-a\"")
                        .doesNotContain("voicebridge.dev/phase"));
    }

    private static String bare(RecordedRequest r) {
        String p = r.getPath();
        int query = p.indexOf('?');
        return query < 0 ? p : p.substring(0, query);
    }
}
