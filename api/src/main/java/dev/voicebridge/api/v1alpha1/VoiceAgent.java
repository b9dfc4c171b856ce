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

/** The agent that answers calls: model API and settings, tools, limits, prices and secret references. */
@Group(VoiceCall.GROUP)
@Version(VoiceCall.VERSION)
@Kind("VoiceAgent")
@Singular("voiceagent")
@Plural("voiceagents")
@ShortNames("va")
@AdditionalPrinterColumn(name = "API", jsonPath = ".spec.api", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Model", jsonPath = ".status.model", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Voice", jsonPath = ".spec.voice", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Numbers",
        jsonPath = ".spec.phoneNumberIds",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
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
