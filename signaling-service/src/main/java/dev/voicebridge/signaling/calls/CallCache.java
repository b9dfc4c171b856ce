package dev.voicebridge.signaling.calls;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.logging.Logger;

/**
 * The service's one informer (one list + one watch) on VoiceCalls in its namespace. It feeds the
 * {@link AnswerWaiters} and serves reads of the call API from memory. Fabric8 delivers events on
 * its own serial executor; the handler only completes futures.
 */
public final class CallCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CallCache.class.getName());
    private final SharedIndexInformer<VoiceCall> informer;
    private final String namespace;

    public CallCache(KubernetesClient client, String namespace, AnswerWaiters waiters) {
        this.namespace = namespace;
        this.informer = client.resources(VoiceCall.class).inNamespace(namespace).runnableInformer(0);
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

    public List<VoiceCall> list() {
        return informer.getStore().list();
    }

    @Override
    public void close() {
        informer.close();
    }
}
