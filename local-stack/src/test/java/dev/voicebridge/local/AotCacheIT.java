package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ahead-of-time cache through real JVMs: a small service (a jar with a library beside it, as
 * the services are built) records its cache on a first run, the next start loads it, a changed
 * library records a new one, and a killed recording leaves nothing behind.
 */
@Timeout(180)
class AotCacheIT {
    @TempDir
    static Path app;

    static Path jar;
    static Path library;

    @BeforeAll
    static void buildTheService() throws Exception {
        assumeTrue(
                Runtime.version().feature() >= AotCache.FIRST_FEATURE,
                "the ahead-of-time cache needs JDK 25; this JDK runs the services without one");
        Path sources = Files.createDirectories(app.resolve("src/toy"));
        Files.writeString(sources.resolve("Greeting.java"), """
                package toy;
                public final class Greeting {
                    public static String of(String name) { return "ready " + name.strip(); }
                }
                """);
        Files.writeString(sources.resolve("Service.java"), """
                package toy;
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                public final class Service {
                    public static void main(String[] args) throws Exception {
                        var server = HttpServer.create(
                                new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 0);
                        byte[] body = Greeting.of(" toy ").getBytes();
                        server.createContext("/health/ready", exchange -> {
                            exchange.sendResponseHeaders(200, body.length);
                            exchange.getResponseBody().write(body);
                            exchange.close();
                        });
                        server.start();
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("toy stopped")));
                        System.out.println(Greeting.of("service"));
                        Thread.sleep(Long.MAX_VALUE);
                    }
                }
                """);
        Path classes = Files.createDirectories(app.resolve("classes"));
        int compiled = ToolProvider.getSystemJavaCompiler()
                .run(
                        null,
                        null,
                        null,
                        "-d",
                        classes.toString(),
                        sources.resolve("Greeting.java").toString(),
                        sources.resolve("Service.java").toString());
        assertThat(compiled).as("toy service compiled").isZero();
        Path target = Files.createDirectories(app.resolve("target/libs"));
        library = target.resolve("greeting.jar");
        writeJar(library, null, classes, "toy/Greeting.class");
        jar = app.resolve("target/toy.jar");
        writeJar(jar, "toy.Service", classes, "toy/Service.class");
    }

    @Test
    void aFirstRunRecordsTheNextLoadsAChangedLibraryRecordsAnew() throws Exception {
        Path caches = app.resolve("caches-lifecycle");

        var first = run(caches);
        assertThat(first.process().aotCache().orElseThrow().loads()).isFalse();
        Path recorded = first.process().aotCache().orElseThrow().file();
        first.process().stop(Duration.ofSeconds(10));
        assertThat(first.output())
                .as("what the service printed while it stopped, then the cache assembled from its recording")
                .contains("records an ahead-of-time cache as it runs")
                .contains("toy stopped")
                .contains("ahead-of-time cache written: " + recorded);
        assertThat(filesIn(caches)).containsExactly(recorded.getFileName().toString());

        var second = run(caches);
        assertThat(second.process().aotCache().orElseThrow().file()).isEqualTo(recorded);
        second.process().stop(Duration.ofSeconds(10));
        assertThat(second.output())
                .as("the JVM opened the recorded cache, silently")
                .contains("Opened AOT cache " + recorded)
                .doesNotContain("[warning]")
                .doesNotContain("records an ahead-of-time cache");

        // A rebuilt library: the cache would be refused by the JVM, so a new one is recorded.
        Files.setLastModifiedTime(library, FileTime.from(Instant.now().plusSeconds(60)));
        var third = run(caches);
        assertThat(third.output()).contains("records an ahead-of-time cache as it runs");
        Path rerecorded = third.process().aotCache().orElseThrow().file();
        third.process().stop(Duration.ofSeconds(10));
        assertThat(rerecorded).isNotEqualTo(recorded);
        assertThat(filesIn(caches))
                .as("the older cache of the service is removed")
                .containsExactly(rerecorded.getFileName().toString());
    }

    @Test
    void aKilledRecordingLeavesNothingToLoad() throws Exception {
        Path caches = app.resolve("caches-killed");
        var killed = run(caches);
        // As if the kill came while the JVM wrote what it recorded.
        Path partial = killed.process().aotCache().orElseThrow().configurationFile();
        Files.write(partial, new byte[4096]);
        killed.process().kill();
        assertThat(filesIn(caches)).isEmpty();

        var next = run(caches);
        assertThat(next.output()).contains("records an ahead-of-time cache as it runs");
        next.process().stop(Duration.ofSeconds(10));
        assertThat(filesIn(caches)).hasSize(1);
    }

    /**
     * JDK 25.0.3's assembly crashed on the media worker's recording and left an empty cache file:
     * a failed assembly is tried once more without AOT class linking and, failing again, leaves no
     * cache to load, only its log.
     */
    @Test
    void aFailedAssemblyKeepsNoCache() throws Exception {
        Path caches = app.resolve("caches-failed");
        var cache = AotCache.of(caches, "broken", jar, "", Runtime.version()).orElseThrow();
        Files.writeString(cache.configurationFile(), "not what a recording JVM writes");

        var assembly = cache.assemble(
                ProcessHandle.current().info().command().orElseThrow(), jar, Map.of(), Duration.ofSeconds(60));

        assertThat(assembly.cache()).isEmpty();
        assertThat(assembly.summary()).startsWith("ahead-of-time cache not written: its assembly failed (exit ");
        assertThat(cache.loads()).isFalse();
        assertThat(filesIn(caches))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .endsWith(".assembly.log");
        assertThat(Files.readString(caches.resolve(filesIn(caches).getFirst())))
                .as("both attempts' output")
                .containsPattern("(?s)Must be a valid AOT configuration.*Must be a valid AOT configuration");
    }

    private record Run(ServiceProcess process, ByteArrayOutputStream printed) {
        String output() {
            return printed.toString(StandardCharsets.UTF_8);
        }
    }

    /** Starts the toy service with its caches in {@code caches}, logging what the JVM does with them. */
    private static Run run(Path caches) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var printed = new ByteArrayOutputStream();
        var service = new ServiceProcess(
                        "toy",
                        jar,
                        Map.of("PORT", Integer.toString(port), "JDK_JAVA_OPTIONS", "-Xlog:aot=info"),
                        URI.create("http://127.0.0.1:" + port + "/health/ready"),
                        new PrintStream(printed, true, StandardCharsets.UTF_8))
                .withAotCache(caches);
        service.start();
        assertThat(service.awaitReady(Duration.ofSeconds(60)))
                .as("toy service ready: %s", printed)
                .isTrue();
        return new Run(service, printed);
    }

    private static List<String> filesIn(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static void writeJar(Path jar, String mainClass, Path classes, String entry) throws IOException {
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "libs/greeting.jar");
        }
        try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(classes.resolve(entry)));
            out.closeEntry();
        }
    }
}
