package dev.voicebridge.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalSelectableField;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One WhatsApp (or API) voice call. {@code kubectl get voicecalls} is the live call board: the
 * printer columns appear in the order declared here (the build keeps it in the generated CRD, see
 * {@link dev.voicebridge.api.crd.PrinterColumnOrder}). The name is
 * {@link dev.voicebridge.api.CallNames#forCallId(String)} of the call id.
 *
 * <p>Lists select calls by phase or worker on the API server through the CRD's selectable fields
 * ({@code kubectl get vc --field-selector status.phase=Connected}; Kubernetes 1.31 and later, see
 * <a href="https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#crd-selectable-fields">
 * selectable fields</a>). The phase is deliberately not also a label: keeping a label in step
 * cost one more API write at every phase change.
 */
@Group(VoiceCall.GROUP)
@Version(VoiceCall.VERSION)
@Kind("VoiceCall")
@Singular("voicecall")
@Plural("voicecalls")
@ShortNames("vc")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "From", jsonPath = ".spec.callerDisplay", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Agent", jsonPath = ".spec.agentRef", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Worker",
        jsonPath = ".status.assignment.worker",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Duration",
        jsonPath = ".status.timestamps.durationSeconds",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.end.reason",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalSelectableField(jsonPath = ".status.phase")
@AdditionalSelectableField(jsonPath = ".status.assignment.worker")
public class VoiceCall extends CustomResource<VoiceCallSpec, VoiceCallStatus> implements Namespaced {
    public static final String GROUP = "voicebridge.dev";
    public static final String VERSION = "v1alpha1";

    public VoiceCall() {}

    public VoiceCall(VoiceCallSpec spec) {
        setSpec(spec);
    }

    /** Status is created on demand so writers can fill their own part without null checks. */
    public VoiceCallStatus statusOrNew() {
        if (getStatus() == null) {
            setStatus(new VoiceCallStatus());
        }
        return getStatus();
    }

    /** The phase, {@link CallPhase#Pending} until the operator first writes one. */
    public CallPhase phase() {
        return getStatus() == null || getStatus().getPhase() == null
                ? CallPhase.Pending
                : getStatus().getPhase();
    }

    /**
     * {@code status.media} when the worker of the current placement attempt wrote it, else null.
     * A re-placed call keeps the lost worker's part until the next worker replaces it (the worker
     * owns that part); its SDP answer must never be taken for the new worker's.
     */
    public MediaStatus currentMedia() {
        var status = getStatus();
        if (status == null || status.getMedia() == null || status.getAssignment() == null) {
            return null;
        }
        Integer attempt = status.getMedia().getAttempt();
        return attempt != null && attempt.equals(status.getAssignment().getAttempt()) ? status.getMedia() : null;
    }
}
