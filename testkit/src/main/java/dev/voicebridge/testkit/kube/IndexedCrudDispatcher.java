package dev.voicebridge.testkit.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Fabric8's CRUD store with an index by name. The bare store finds an object by scanning every
 * object it holds and matching attribute sets, for each read by name and twice for each write
 * (our merge patch reads, then puts), so a request cost grew with the store: about 1.4 ms of the
 * API server's one event-loop thread per request once a thousand calls and their Events were in
 * it, which made the harness's API server the bottleneck of the setup benchmark. A real API server
 * reads by key. Here a lookup by {@code plural/namespace/name} remembers the stored object's
 * attribute set, so the next lookup is one map read; a remembered set that is gone (the object was
 * deleted, or relabelled: labels are attributes) falls back to the scan and is remembered anew.
 * Lists, watches and deletes are the store's own.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
    /** The attributes of a path that name one object. */
    private record NameKey(Attribute plural, Attribute namespace, Attribute name) {
        static NameKey of(AttributeSet query) {
            Attribute name = query.getAttribute(KubernetesAttributesExtractor.NAME);
            Attribute plural = query.getAttribute(KubernetesAttributesExtractor.PLURAL);
            return name == null || plural == null
                    ? null
                    : new NameKey(plural, query.getAttribute(KubernetesAttributesExtractor.NAMESPACE), name);
        }
    }

    private final Map<NameKey, AttributeSet> stored = new ConcurrentHashMap<>();
    /** Writes exclude reads by name, which bypass the store's own lock (the store's lock is private). */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    IndexedCrudDispatcher() {
        super(List.of());
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        NameKey name = NameKey.of(query);
        if (name == null) {
            return super.findResource(query);
        }
        AttributeSet known = stored.get(name);
        if (known != null && known.matches(query)) {
            String object = map.get(known);
            if (object != null) {
                return Map.entry(known, object);
            }
        }
        Map.Entry<AttributeSet, String> found = super.findResource(query);
        if (found != null) {
            stored.put(name, found.getKey());
        } else {
            stored.remove(name);
        }
        return found;
    }

    @Override
    public MockResponse handleGet(String path) {
        if (path.contains("watch=")) {
            return super.handleGet(path);
        }
        AttributeSet query = getKey(path);
        if (NameKey.of(query) == null) {
            return super.handleGet(path);
        }
        return read(() -> {
            var found = findResource(query);
            return found == null
                    ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
                    : new MockResponse()
                            .setResponseCode(HttpURLConnection.HTTP_OK)
                            .setBody(found.getValue());
        });
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        return write(() -> super.handleCreate(request));
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return write(() -> super.handleUpdate(request));
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return write(() -> super.handlePatch(request));
    }

    @Override
    public MockResponse handleDelete(String path) {
        return write(() -> super.handleDelete(path));
    }

    private MockResponse read(Supplier<MockResponse> action) {
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private MockResponse write(Supplier<MockResponse> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
