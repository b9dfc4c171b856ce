package dev.voicebridge.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** The agent that answers calls: realtime model settings, tools, limits and secret references. */
@Group(VoiceCall.GROUP)
@Version(VoiceCall.VERSION)
@Kind("VoiceAgent")
@Singular("voiceagent")
@Plural("voiceagents")
@ShortNames("va")
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Voice", jsonPath = ".spec.voice", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Numbers",
        jsonPath = ".spec.phoneNumberIds",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class VoiceAgent extends CustomResource<VoiceAgentSpec, VoiceAgentStatus> implements Namespaced {

    public VoiceAgent() {}

    public VoiceAgent(VoiceAgentSpec spec) {
        setSpec(spec);
    }
}
