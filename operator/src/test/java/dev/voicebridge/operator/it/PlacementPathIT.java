package dev.voicebridge.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The requests between a new call and the label its worker watches for: the worker sees the call
 * only once it is labelled, so nothing that merely informs (the Assigned Event) may come first.
 */
class PlacementPathIT extends OneWorkerOperatorIT {
    @Test
    void theWorkersLabelIsWrittenRightAfterTheAssignmentBeforeTheEvent() throws InterruptedException {
        h.call("wacid.placed", AcceptBy.caller);
        h.await("wacid.placed", c -> "worker-a"
                .equals(c.getMetadata().getLabels().get(Labels.WORKER)));
        String path = "/apis/voicebridge.dev/v1alpha1/namespaces/" + OperatorHarness.NAMESPACE + "/voicecalls/"
                + CallNames.forCallId("wacid.placed");

        List<String> writes = new ArrayList<>();
        for (RecordedRequest r; (r = kube.takeRequest(200, TimeUnit.MILLISECONDS)) != null; ) {
            String p = r.getPath();
            if (r.getMethod().equals("PATCH") && p.startsWith(path)) {
                writes.add(p.startsWith(path + "/status") ? "status" : "labels");
            } else if (r.getMethod().equals("POST") && p.endsWith("/events")) {
                writes.add("event"); // the only Event of this call so far: Assigned
            }
        }
        assertThat(writes).containsSubsequence("status", "labels", "event");
        assertThat(writes.subList(0, writes.indexOf("event"))).containsExactly("status", "labels");
    }
}
