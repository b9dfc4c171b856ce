package dev.voicebridge.testkit.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one Kubernetes API of the integration tests: an {@link InMemoryKubeApi} (CRDs installed) per
 * test method, or per class when the test class's {@link KubernetesClient} / {@link InMemoryKubeApi}
 * fields are static. Those fields are set, and parameters of those types resolved, like
 * Fabric8's {@code @EnableKubernetesMockClient} does — use {@code @ExtendWith(KubeApiExtension.class)}.
 */
public final class KubeApiExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    /** The mock server logs every request at INFO through JUL; keep test output readable. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(KubeApiExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        MOCK_LOG.setLevel(Level.WARNING);
        if (hasFields(context.getRequiredTestClass(), true)) {
            var api = InMemoryKubeApi.start(0);
            context.getStore(STORE).put("class", api);
            inject(context.getRequiredTestClass(), null, api, true);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        if (context.getParent().orElseThrow().getStore(STORE).get("class") == null) {
            var api = InMemoryKubeApi.start(0);
            context.getStore(STORE).put("method", api);
            inject(context.getRequiredTestClass(), context.getRequiredTestInstance(), api, false);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close(context.getStore(STORE).remove("method", InMemoryKubeApi.class));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close(context.getStore(STORE).remove("class", InMemoryKubeApi.class));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KubernetesClient.class || type == InMemoryKubeApi.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        InMemoryKubeApi api = context.getStore(STORE).get("method", InMemoryKubeApi.class);
        if (api == null) {
            api = context.getStore(STORE).get("class", InMemoryKubeApi.class);
        }
        if (api == null) {
            throw new IllegalStateException("no Kubernetes API for " + context.getDisplayName());
        }
        return parameter.getParameter().getType() == KubernetesClient.class ? api.client() : api;
    }

    private static boolean hasFields(Class<?> type, boolean statics) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (isTarget(field) && Modifier.isStatic(field.getModifiers()) == statics) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void inject(Class<?> type, Object instance, InMemoryKubeApi api, boolean statics)
            throws IllegalAccessException {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (isTarget(field) && Modifier.isStatic(field.getModifiers()) == statics) {
                    field.setAccessible(true);
                    field.set(instance, field.getType() == KubernetesClient.class ? api.client() : api);
                }
            }
        }
    }

    private static boolean isTarget(Field field) {
        return field.getType() == KubernetesClient.class || field.getType() == InMemoryKubeApi.class;
    }

    private static void close(InMemoryKubeApi api) {
        if (api != null) {
            api.close();
        }
    }
}
