package dev.voicebridge.testkit.kube;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;

/**
 * The CRUD mock answers resource requests but not API discovery ({@code /api}, {@code /apis},
 * {@code /api/v1} come back as lists of stored objects), so kubectl cannot map {@code vc} or
 * {@code voicecalls} to a URL. This serves the discovery documents kubectl reads — the core
 * resources the product uses, voicebridge's group with its short names — and hands everything else
 * to the CRUD dispatcher.
 */
public final class DiscoveryDispatcher extends Dispatcher {
    private static final Map<String, String> DOCUMENTS = Map.of(
            "/api",
            """
            {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""",
            "/apis",
            """
            {"kind":"APIGroupList","apiVersion":"v1","groups":[
             {"name":"voicebridge.dev","versions":[{"groupVersion":"voicebridge.dev/v1alpha1","version":"v1alpha1"}],
              "preferredVersion":{"groupVersion":"voicebridge.dev/v1alpha1","version":"v1alpha1"}},
             {"name":"apiextensions.k8s.io","versions":[{"groupVersion":"apiextensions.k8s.io/v1","version":"v1"}],
              "preferredVersion":{"groupVersion":"apiextensions.k8s.io/v1","version":"v1"}},
             {"name":"coordination.k8s.io","versions":[{"groupVersion":"coordination.k8s.io/v1","version":"v1"}],
              "preferredVersion":{"groupVersion":"coordination.k8s.io/v1","version":"v1"}}]}""",
            "/api/v1",
            """
            {"kind":"APIResourceList","groupVersion":"v1","resources":[
             %s,%s,%s,%s,%s]}""".formatted(
                            resource("pods", "Pod", true, "po"),
                            resource("secrets", "Secret", true, ""),
                            resource("namespaces", "Namespace", false, "ns"),
                            resource("configmaps", "ConfigMap", true, "cm"),
                            resource("events", "Event", true, "ev")),
            "/apis/voicebridge.dev/v1alpha1",
            """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"voicebridge.dev/v1alpha1","resources":[%s,%s]}""".formatted(
                    resource("voicecalls", "VoiceCall", true, "vc"), resource("voiceagents", "VoiceAgent", true, "va")),
            "/apis/apiextensions.k8s.io/v1",
            """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apiextensions.k8s.io/v1","resources":[%s]}""".formatted(resource("customresourcedefinitions", "CustomResourceDefinition", false, "crd")),
            "/apis/coordination.k8s.io/v1",
            """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"coordination.k8s.io/v1","resources":[%s]}""".formatted(resource("leases", "Lease", true, "")));

    private final Dispatcher crud;

    public DiscoveryDispatcher(Dispatcher crud) { // the CRUD store, through MergePatchDispatcher
        this.crud = crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        int query = path.indexOf('?');
        String document = DOCUMENTS.get(query < 0 ? path : path.substring(0, query));
        if (document != null && "GET".equals(request.getMethod())) {
            return new MockResponse()
                    .setResponseCode(200)
                    .setHeader("Content-Type", "application/json")
                    .setBody(document);
        }
        return crud.dispatch(request);
    }

    private static String resource(String plural, String kind, boolean namespaced, String shortName) {
        return """
                {"name":"%s","singularName":"","namespaced":%s,"kind":"%s","verbs":["create","delete","get","list","patch","update","watch"]%s}""".formatted(
                        plural, namespaced, kind, shortName.isEmpty() ? "" : ",\"shortNames\":[\"" + shortName + "\"]");
    }
}
