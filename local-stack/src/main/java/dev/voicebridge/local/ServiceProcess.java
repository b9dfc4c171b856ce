package dev.voicebridge.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the local stack, run as its own process from the same runnable jar a container
 * would run, with configuration passed as environment variables — the production entry point and
 * configuration surface, not an in-process shortcut.
 */
public final class ServiceProcess {
    private final String name;
    private final Path jar;
    private final Map<String, String> env;
    private final URI readiness;
    private final PrintStream out;
    private Process process;

    public ServiceProcess(String name, Path jar, Map<String, String> env, URI readiness, PrintStream out) {
        this.name = name;
        this.jar = jar;
        this.env = env;
        this.readiness = readiness;
        this.out = out;
    }

    public String name() {
        return name;
    }

    /** The environment the process gets on top of this one's. */
    public Map<String, String> env() {
        return env;
    }

    public URI readiness() {
        return readiness;
    }

    public void start() throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(name + ": " + jar + " is missing; build first (./mvnw -DskipTests package)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command =
                new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        process = builder.start();
        pumpOutput(name, process.getInputStream(), out);
    }

    /**
     * Copies a child's output to {@code out}, each line prefixed with its name, on a platform
     * thread of its own. Not a virtual thread: a read from a pipe blocks in native code, which holds
     * a virtual thread's carrier for as long as the child is silent. Three such readers (one per
     * service) once held every carrier of a two-core JVM, and no other virtual thread of it ran for
     * minutes: a capacity benchmark's calls stopped being placed.
     */
    static Thread pumpOutput(String name, InputStream output, PrintStream out) {
        return Thread.ofPlatform().daemon().name(name + "-output").start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    out.printf("%-10s| %s%n", name, line);
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
    }

    /** Polls the readiness endpoint until it answers 200, the process dies, or the bound passes. */
    public boolean awaitReady(Duration bound) throws InterruptedException {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                var response = http.send(
                        HttpRequest.newBuilder(readiness)
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        return false;
    }

    /** The process id while it runs (benchmarks read its CPU, memory and threads from /proc). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " is not started");
        }
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the process dies at once, as a node failure or OOM kill would end it. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, as Kubernetes would send; SIGKILL only after the grace period. */
    public void stop(Duration grace) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            out.printf("%-10s| did not stop within %d s: killed%n", name, grace.toSeconds());
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
