package dev.voicebridge.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.lifecycle.CallPatcher;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A reconcile decides on the informer's copy of the call: it reads the call from the API server
 * only when that copy may lag behind the operator's own last write. Every event (the creation,
 * the worker's answer, every status write of a running call) used to cost a GET before anything
 * was decided, a round trip on the setup path and a reconcile thread held for it.
 */
class ReconcileReadsIT extends OneWorkerOperatorIT {
    @Test
    void placingAndMarkingAnsweredReadNothingButTheInformersCopy() throws InterruptedException {
        String path = "/apis/voicebridge.dev/v1alpha1/namespaces/" + OperatorHarness.NAMESPACE + "/voicecalls/"
                + CallNames.forCallId("wacid.reads");
        drain();

        VoiceCall created = h.call("wacid.reads", AcceptBy.caller);
        List<String> placement =
                until(path, r -> isPatch(r, path) && !r.getPath().endsWith("/status"));
        assertThat(placement)
                .as("requests from the call's creation to its worker label")
                .doesNotContain("GET");
        assertThat(placement).contains("PATCH status", "PATCH labels");

        // Right after its own writes the operator's copy may still lag behind them, and a reconcile
        // then rightly reads the call once; that is over once the API server has been quiet a while.
        drain();

        // The worker answers (one merge patch, as media-worker's status writer makes it).
        var media = new MediaStatus();
        media.setAttempt(1);
        media.setSdpAnswer("v=0\r\n");
        media.setAnsweredAt(Instant.now().toString());
        var patcher = new CallPatcher(client);
        var doc = patcher.statusPatch();
        doc.set("media", patcher.json().valueToTree(media));
        patcher.patchStatus(created, doc, false);
        // Ours first, then the operator's (phase Answered, checked below).
        int[] statusPatches = {0};
        List<String> answered =
                until(path, r -> isPatch(r, path) && r.getPath().endsWith("/status") && ++statusPatches[0] == 2);
        assertThat(answered)
                .as("requests from the worker's answer to the operator's write")
                .doesNotContain("GET");

        VoiceCall now = h.awaitPhase("wacid.reads", CallPhase.Answered);
        assertThat(now.getMetadata().getLabels()).containsEntry(Labels.WORKER, "worker-a");
    }

    /** Forgets the requests so far (the operator's start-up, the harness's set-up). */
    private void drain() throws InterruptedException {
        while (kube.takeRequest(300, TimeUnit.MILLISECONDS) != null) {
            // older than the call
        }
    }

    /**
     * The requests on the call's own path (method, and whether a patch went to status) until one
     * matching {@code last}, which is included; at most 30 s.
     */
    private List<String> until(String path, Predicate<RecordedRequest> last) throws InterruptedException {
        var seen = new ArrayList<String>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            RecordedRequest r = kube.takeRequest(1, TimeUnit.SECONDS);
            if (r == null) {
                continue;
            }
            String p = r.getPath();
            int query = p.indexOf('?');
            String bare = query < 0 ? p : p.substring(0, query);
            if (bare.equals(path) || bare.equals(path + "/status")) {
                seen.add(
                        r.getMethod().equals("PATCH")
                                ? (bare.endsWith("/status") ? "PATCH status" : "PATCH labels")
                                : r.getMethod());
            }
            if (last.test(r)) {
                return seen;
            }
        }
        throw new AssertionError("not seen within 30 s; requests on the call: " + seen);
    }

    private static boolean isPatch(RecordedRequest r, String path) {
        return r.getMethod().equals("PATCH") && r.getPath().startsWith(path);
    }
}
