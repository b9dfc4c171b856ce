package dev.voicebridge.signaling;

import dev.voicebridge.signaling.callapi.CallApiResource;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Every JAX-RS resource method of the service, read from Jersey's own model of every
 * {@code @Path} class compiled into the module: a new endpoint shows up here without anyone
 * listing it, so the tests that walk this list cover it at once.
 */
public final class Endpoints {
    private Endpoints() {}

    /** One resource method: HTTP method, path template (leading slash) and the Java method behind it. */
    public record Endpoint(String httpMethod, String template, Method javaMethod) {
        public String key() {
            return httpMethod + " " + template;
        }

        /** The template with every {@code {param}} replaced by {@code value} (already URL-safe). */
        public String path(String value) {
            return template.replaceAll("\\{[^}]+}", value);
        }

        @Override
        public String toString() {
            return key();
        }
    }

    public static List<Endpoint> all() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Class<?> resource : resourceClasses()) {
            collect(Resource.from(resource), "", endpoints);
        }
        endpoints.sort(Comparator.comparing(Endpoint::key));
        return endpoints;
    }

    private static void collect(Resource resource, String parent, List<Endpoint> out) {
        String path = join(parent, resource.getPath());
        for (ResourceMethod method : resource.getResourceMethods()) {
            out.add(new Endpoint(
                    method.getHttpMethod(), path, method.getInvocable().getDefinitionMethod()));
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, out);
        }
    }

    private static String join(String parent, String path) {
        String joined = (parent + "/" + (path == null ? "" : path)).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /**
     * Every class of the module's main code that carries {@code @Path}, from its classes directory
     * (surefire) or its jar (failsafe tests the packaged artifact).
     */
    static List<Class<?>> resourceClasses() {
        try {
            var location = java.nio.file.Path.of(CallApiResource.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isDirectory(location)) {
                return resourceClasses(location);
            }
            try (var jar = FileSystems.newFileSystem(location)) {
                return resourceClasses(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Class<?>> resourceClasses(java.nio.file.Path root) throws IOException {
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            List<Class<?>> classes = new ArrayList<>();
            for (var file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String relative = root.relativize(file).toString();
                if (relative.startsWith("META-INF")) {
                    continue;
                }
                String name = relative.replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, Endpoints.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
                if (type.isAnnotationPresent(Path.class)) {
                    classes.add(type);
                }
            }
            return classes;
        }
    }
}
