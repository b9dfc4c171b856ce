package dev.voicebridge.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A service's ahead-of-time cache (JEP 483 class loading and linking, JEP 515 method profiles, JDK
 * 25). A service started without one records what it loads, links and runs hot
 * ({@code -XX:AOTMode=record}); the JVM writes that configuration when it exits, and {@link
 * #assemble} turns it into the cache in a separate JVM ({@code -XX:AOTMode=create}); later starts
 * load it ({@code -XX:AOTCache}), so the first call after start finds its classes loaded and linked
 * and the JIT knows the hot methods from the recorded run.
 *
 * <p>Two steps, not JEP 514's one ({@code -XX:AOTCacheOutput}), because the assembly can fail and
 * the one-step JVM exits normally all the same, leaving an empty cache file the next start cannot
 * map: seen on JDK 25.0.3 with the media worker's jar started through a symbolic link ({@code
 * guarantee(... has_been_buffered) failed: Metadata ... should have been archived} in {@code
 * ArchiveHeapWriter}). Here the assembly's exit status is checked, a failed one is retried without
 * AOT class linking (which assembled that worker), and only a cache a JVM wrote successfully is
 * kept.
 *
 * <p>A cache belongs to one application, one JDK and one set of JVM options: the file's name carries
 * a digest of the jar and every library beside it (name, size, modification time), the JDK's
 * version and the options, so a rebuilt jar or another JDK records a new cache instead of loading
 * one the JVM would refuse. A killed run's recording is removed, since it may be partial.
 */
public final class AotCache {
    /** The first JDK whose caches hold method profiles (JEP 515) as well as classes. */
    static final int FIRST_FEATURE = 25;

    /**
     * Added when a cache is loaded: JDK 25 warns on start-up that an adapter it cached does not
     * match ("Failed to link AdapterHandlerEntry"); without cached adapters the cache loads
     * silently, classes and profiles included.
     */
    static final List<String> LOAD_OPTIONS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching");

    /** The assembly's attempts: as JDK 25 assembles by default, then without AOT class linking. */
    static final List<List<String>> ASSEMBLY_ATTEMPTS = List.of(List.of(), List.of("-XX:-AOTClassLinking"));

    private final String service;
    private final Path directory;
    private final Path cache;
    private final Path configuration;
    private final Path assembling;
    private final Path assemblyLog;
    private final Path recordingLog;

    private AotCache(String service, Path directory, String key) {
        this.service = service;
        this.directory = directory;
        String base = service + "-" + key;
        this.cache = directory.resolve(base + ".aot");
        this.configuration = directory.resolve(base + ".aotconf");
        this.assembling = directory.resolve(base + ".assembling.aot");
        this.assemblyLog = directory.resolve(base + ".assembly.log");
        this.recordingLog = directory.resolve(base + ".recording.log");
    }

    /**
     * The cache of {@code jar} (and the libraries in the {@code libs} folder beside it) run as
     * {@code service} with {@code jvmOptions} on {@code jdk}, kept in {@code directory}; empty on a
     * JDK older than 25.
     */
    public static Optional<AotCache> of(
            Path directory, String service, Path jar, String jvmOptions, Runtime.Version jdk) throws IOException {
        if (jdk.feature() < FIRST_FEATURE) {
            return Optional.empty();
        }
        Files.createDirectories(directory);
        return Optional.of(new AotCache(service, directory, key(jar, jvmOptions, jdk)));
    }

    /** What identifies a cache: the application's files, the JDK and the JVM options. */
    static String key(Path jar, String jvmOptions, Runtime.Version jdk) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        digest.update((jdk + "\n" + jvmOptions + "\n").getBytes(StandardCharsets.UTF_8));
        Path libs = jar.toAbsolutePath().getParent().resolve("libs");
        List<Path> files;
        if (Files.isDirectory(libs)) {
            try (Stream<Path> listed = Files.list(libs)) {
                files = Stream.concat(Stream.of(jar), listed.sorted()).toList();
            }
        } else {
            files = List.of(jar);
        }
        for (Path file : files) {
            String line = file.getFileName() + " " + Files.size(file) + " "
                    + Files.getLastModifiedTime(file).toMillis() + "\n";
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 6);
    }

    /** True when a recorded cache exists: the JVM loads it instead of recording one. */
    public boolean loads() {
        return Files.isRegularFile(cache);
    }

    /** The options that load the cache, or record the configuration the JVM writes at exit. */
    public List<String> jvmOptions() {
        if (loads()) {
            return Stream.concat(LOAD_OPTIONS.stream(), Stream.of("-XX:AOTCache=" + cache))
                    .toList();
        }
        return List.of(
                "-XX:AOTMode=record",
                "-XX:AOTConfiguration=" + configuration,
                // At exit the JVM warns once per class it leaves out (generated proxies, signed
                // jars): thousands of lines, to a file instead of the console.
                "-Xlog:aot*=error",
                "-Xlog:aot*=warning:file=" + recordingLog);
    }

    /** The file the JVM loads (or, once {@link #assemble} succeeded, will load). */
    public Path file() {
        return cache;
    }

    /** Where a recording run writes what it saw when it exits. */
    Path configurationFile() {
        return configuration;
    }

    /** What {@link #assemble} did: the cache it wrote, if any, and a line for the console. */
    public record Assembly(Optional<Path> cache, String summary) {}

    /**
     * After a recording run ended by itself or by SIGTERM: assembles its configuration into the
     * cache with {@code java} (the same JDK), the application's {@code jar} and {@code env} on top
     * of this JVM's environment (the same JVM options), each attempt within {@code bound}. On success the service's older
     * caches are removed; on failure nothing is kept but the assembly's log.
     */
    public Assembly assemble(String java, Path jar, Map<String, String> env, Duration bound)
            throws IOException, InterruptedException {
        try {
            if (!Files.isRegularFile(configuration) || Files.size(configuration) == 0) {
                return new Assembly(
                        Optional.empty(), "no ahead-of-time recording to assemble (the JVM did not exit normally)");
            }
            Files.deleteIfExists(assemblyLog);
            String failure = "";
            String firstFailure = "";
            for (List<String> attempt : ASSEMBLY_ATTEMPTS) {
                failure = create(java, jar, env, attempt, bound);
                if (failure.isEmpty()) {
                    Files.move(assembling, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    Files.deleteIfExists(assemblyLog);
                    removeOlder();
                    String how = attempt.isEmpty()
                            ? ""
                            : " (with " + String.join(" ", attempt) + ": the first assembly " + firstFailure + ")";
                    return new Assembly(Optional.of(cache), "ahead-of-time cache written: " + cache + how);
                }
                if (firstFailure.isEmpty()) {
                    firstFailure = failure;
                }
                Files.deleteIfExists(assembling);
            }
            return new Assembly(
                    Optional.empty(),
                    "ahead-of-time cache not written: its assembly " + failure + "; see " + assemblyLog);
        } finally {
            Files.deleteIfExists(configuration);
            Files.deleteIfExists(recordingLog);
        }
    }

    /** One assembly; empty when it wrote a cache, else what went wrong. */
    private String create(String java, Path jar, Map<String, String> env, List<String> extra, Duration bound)
            throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(java);
        command.addAll(extra);
        command.addAll(List.of(
                "-XX:AOTMode=create",
                "-XX:AOTConfiguration=" + configuration,
                "-XX:AOTCache=" + assembling,
                // a crash report beside the log, not in the working directory
                "-XX:ErrorFile=" + directory.resolve(service + "-assembly-hs_err_pid%p.log"),
                "-Xlog:aot=error",
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar.toString()));
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(assemblyLog.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return "took longer than " + bound.toSeconds() + " s";
        }
        if (process.exitValue() != 0) {
            return "failed (exit " + process.exitValue() + ")";
        }
        if (!Files.isRegularFile(assembling) || Files.size(assembling) == 0) {
            return "wrote no cache";
        }
        return "";
    }

    /** After a kill: what the recording left may be partial. */
    public void discard() throws IOException {
        Files.deleteIfExists(configuration);
        Files.deleteIfExists(recordingLog);
        Files.deleteIfExists(assembling);
    }

    /** The service's older caches, and the crash reports of assemblies that were retried. */
    private void removeOlder() throws IOException {
        Pattern older =
                Pattern.compile(Pattern.quote(service) + "-([0-9a-f]{12}\\.aot|assembly-hs_err_pid[0-9]+\\.log)");
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (!file.equals(cache)
                        && older.matcher(file.getFileName().toString()).matches()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
