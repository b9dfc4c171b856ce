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
import java.util.Optional;
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
    /** This JVM's launcher: the services run on the same JDK (and an AOT cache must be assembled by it). */
    private final String launcher = ProcessHandle.current().info().command().orElse("java");

    private Path realJar;
    private Path aotDirectory;
    private AotCache aot;
    /** Whether this run's recording was assembled (or tried): a second stop does not try again. */
    private boolean assembled;

    private Process process;
    private Thread pump;

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

    /**
     * Runs the service with an ahead-of-time cache kept in {@code directory}: loaded when one was
     * recorded for this jar, JDK and JVM options, else recorded by this run and kept when it stops
     * (see {@link AotCache}). Older JDKs than 25 run without.
     */
    public ServiceProcess withAotCache(Path directory) {
        this.aotDirectory = directory;
        return this;
    }

    /** Where the caches are kept, when the service runs with one. */
    public Optional<Path> aotCacheDirectory() {
        return Optional.ofNullable(aotDirectory);
    }

    /** The cache this run loads or records (known once started on a JDK 25 or newer). */
    public Optional<AotCache> aotCache() {
        return Optional.ofNullable(aot);
    }

    /** Time a recording JVM gets on top of the stop's grace to write what it recorded. */
    static final Duration AOT_RECORDING_EXIT = Duration.ofSeconds(15);

    /** The bound of each assembly attempt (about 6 s for the media worker on two idle cores). */
    static final Duration AOT_ASSEMBLY = Duration.ofSeconds(60);

    public void start() throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(name + ": " + jar + " is missing; build first (./mvnw -DskipTests package)");
        }
        // The jar where it is, not through a link: an ahead-of-time cache recorded through a link
        // held none of its libraries' classes ("Unsupported location"), and the media worker's
        // assembly crashed on it (JDK 25.0.3).
        realJar = jar.toRealPath();
        List<String> command = new ArrayList<>(List.of(launcher, "--enable-native-access=ALL-UNNAMED"));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        if (aotDirectory != null) {
            String options = builder.environment().getOrDefault("JDK_JAVA_OPTIONS", "");
            aot = AotCache.of(aotDirectory, name, realJar, options, Runtime.version())
                    .orElse(null);
            assembled = false;
        }
        if (aot != null) {
            command.addAll(aot.jvmOptions());
            if (!aot.loads()) {
                out.printf(
                        "%-10s| records an ahead-of-time cache as it runs, written when it stops: later starts"
                                + " load it%n",
                        name);
            }
        }
        command.addAll(List.of("-jar", realJar.toString()));
        process = builder.start();
        pump = pumpOutput(name, process.getInputStream(), out);
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
            discardCache();
        }
    }

    /** SIGTERM, as Kubernetes would send; SIGKILL only after the grace period. */
    public void stop(Duration grace) throws InterruptedException {
        if (process == null) {
            return;
        }
        // A service that already ended (Ctrl-C reaches the whole process group) still gets its
        // output copied and its cache kept.
        if (process.isAlive()) {
            // SIGTERM through the process handle: Process.destroy() would also close the pipe the
            // service's output comes through, and the lines it prints while it stops (the worker's
            // drain, the JVM's notes as it writes what it recorded) would break on it.
            process.toHandle().destroy();
            Duration wait = aot != null && !aot.loads() ? grace.plus(AOT_RECORDING_EXIT) : grace;
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                out.printf("%-10s| did not stop within %d s: killed%n", name, wait.toSeconds());
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                discardCache();
                return;
            }
        }
        // Its last lines, before what this prints about the cache.
        pump.join(Duration.ofSeconds(2));
        assembleCache();
    }

    private void assembleCache() throws InterruptedException {
        if (aot == null || aot.loads() || assembled) {
            return;
        }
        assembled = true;
        try {
            // env on top of this JVM's environment, as the service got it
            out.printf(
                    "%-10s| %s%n",
                    name, aot.assemble(launcher, realJar, env, AOT_ASSEMBLY).summary());
        } catch (IOException e) {
            out.printf("%-10s| ahead-of-time cache not written: %s%n", name, e.getMessage());
        }
    }

    private void discardCache() {
        if (aot == null) {
            return;
        }
        try {
            aot.discard();
        } catch (IOException e) {
            out.printf("%-10s| partial ahead-of-time cache not removed: %s%n", name, e.getMessage());
        }
    }
}
