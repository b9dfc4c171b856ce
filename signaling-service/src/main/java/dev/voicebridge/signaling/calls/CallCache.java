package dev.voicebridge.signaling.calls;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The service's one informer (one list + one watch) on VoiceCalls in its namespace. It feeds the
 * {@link AnswerWaiters} and serves reads of the call API from memory. Fabric8 delivers events on
 * its own serial executor; the handler only completes futures.
 */
public final class CallCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CallCache.class.getName());
    /** Index of outbound calls by the call id WhatsApp gave them (connect response or webhooks). */
    private static final String BY_WHATSAPP_CALL_ID = "whatsapp-call-id";

    private final SharedIndexInformer<VoiceCall> informer;
    private final String namespace;

    public CallCache(KubernetesClient client, String namespace, AnswerWaiters waiters) {
        this.namespace = namespace;
        this.informer = client.resources(VoiceCall.class).inNamespace(namespace).runnableInformer(0);
        informer.addIndexers(Map.of(BY_WHATSAPP_CALL_ID, CallCache::whatsappCallIds));
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(VoiceCall call) {
                waiters.offer(call);
            }

            @Override
            public void onUpdate(VoiceCall before, VoiceCall after) {
                waiters.offer(after);
            }

            @Override
            public void onDelete(VoiceCall call, boolean finalStateUnknown) {
                // A deleted call will never be answered; waiters run into their timeout.
            }
        });
        // Keep retrying the initial list/watch instead of giving up: readiness reports the gap.
        informer.exceptionHandler((started, error) -> {
            LOG.warning(LogLine.of("informer.error", "kind", "VoiceCall", "started", started, "error", error));
            return true;
        });
    }

    public void start() {
        informer.start();
    }

    public boolean hasSynced() {
        return informer.hasSynced() && informer.isRunning();
    }

    /** The cached call, or null. The store key is "namespace/name" (Fabric8 Cache convention). */
    public VoiceCall get(String name) {
        return informer.getStore().getByKey(namespace + "/" + name);
    }

    /** The outbound calls WhatsApp knows by this id (normally one). */
    public List<VoiceCall> byWhatsAppCallId(String callId) {
        return callId == null ? List.of() : informer.getIndexer().byIndex(BY_WHATSAPP_CALL_ID, callId);
    }

    /** What status and annotations say WhatsApp calls this call; nothing for an inbound call. */
    static List<String> whatsappCallIds(VoiceCall call) {
        List<String> ids = new ArrayList<>(2);
        var whatsapp = call.getStatus() == null ? null : call.getStatus().getWhatsapp();
        if (whatsapp != null && whatsapp.getCallId() != null) {
            ids.add(whatsapp.getCallId());
        }
        var annotations = call.getMetadata().getAnnotations();
        String annotated = annotations == null ? null : annotations.get(Labels.WHATSAPP_CALL_ID_ANNOTATION);
        if (annotated != null && !ids.contains(annotated)) {
            ids.add(annotated);
        }
        return ids;
    }

    public List<VoiceCall> list() {
        return informer.getStore().list();
    }

    @Override
    public void close() {
        informer.close();
    }
}
