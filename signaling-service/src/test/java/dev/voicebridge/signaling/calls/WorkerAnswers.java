package dev.voicebridge.signaling.calls;

import dev.voicebridge.api.v1alpha1.Assignment;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceCall;

/** Tests playing the operator and the worker: the call placed (attempt 1) and answered with {@code sdp}. */
public final class WorkerAnswers {
    private WorkerAnswers() {}

    public static void answer(VoiceCall patch, String sdp) {
        var assignment = new Assignment();
        assignment.setWorker("media-worker-0");
        assignment.setAttempt(1);
        var media = new MediaStatus();
        media.setAttempt(1);
        media.setSdpAnswer(sdp);
        patch.statusOrNew().setAssignment(assignment);
        patch.getStatus().setMedia(media);
        patch.getStatus().setPhase(CallPhase.Answered);
    }
}
