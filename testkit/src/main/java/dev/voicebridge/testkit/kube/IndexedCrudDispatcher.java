package dev.voicebridge.testkit.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Fabric8's CRUD store with an index by name. The bare store finds an object by scanning every
 * object it holds and matching attribute sets: for each read by name, twice for each merge patch
 * (our merge patch reads, then puts) and once for each create (is the name taken?). So a request's
 * cost grew with the store — the Events alone grow by a few per call — until the API server's one
 * event-loop thread was the setup benchmark's bottleneck. A real API server reads by key.
 *
 * <p>Here every change of the store ({@link #processEvent}, through which the store's creates,
 * updates, patches and deletes all go) keeps an index from {@code plural/namespace/name} to the
 * object's stored attribute set, so a read by name, and the existence check of a create, is one
 * map read. The stored attribute set is computed as the store computes it (labels are part of
 * it). Lists, watches and deletes by selector stay the store's own.
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
        if (known == null) {
            return null;
        }
        if (!known.matches(query)) {
            // Another group's kind of the same plural and name, or a query with more attributes
            // (a selector): the store's own scan decides.
            return super.findResource(query);
        }
        String object = map.get(known);
        return object == null ? null : Map.entry(known, object);
    }

    @Override
    public void processEvent(
            String path,
            AttributeSet pathAttributes,
            AttributeSet oldAttributes,
            GenericKubernetesResource resource,
            String newState) {
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (oldAttributes != null) {
            NameKey old = NameKey.of(oldAttributes);
            if (old != null) {
                stored.remove(old, oldAttributes);
            }
        }
        if (newState != null) {
            // As the store computes the key it has just put the object under.
            var extractor = (KubernetesAttributesExtractor) attributeExtractor;
            AttributeSet added = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
            if (!added.containsKey(KubernetesAttributesExtractor.PLURAL)) {
                added = AttributeSet.merge(pathAttributes, added);
            }
            NameKey key = NameKey.of(added);
            if (key != null) {
                stored.put(key, added);
            }
        }
    }

    @Override
    public void reset() {
        write(() -> {
            super.reset();
            stored.clear();
            return null;
        });
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
        return holding(lock.readLock(), action);
    }

    private MockResponse write(Supplier<MockResponse> action) {
        return holding(lock.writeLock(), action);
    }

    private static MockResponse holding(Lock held, Supplier<MockResponse> action) {
        held.lock();
        try {
            return action.get();
        } finally {
            held.unlock();
        }
    }
}
