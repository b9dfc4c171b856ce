package dev.voicebridge.e2e.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An image as Jib's {@code buildTar} writes it: an OCI image layout in a tar (oci-layout,
 * index.json, blobs/sha256/…), read with nothing but tar, as a container runtime would.
 *
 * @param reference the name the index gives the image ({@code org.opencontainers.image.ref.name})
 * @param layers the layer blobs, base first
 */
public record OciImage(Path layout, String reference, String manifestDigest, Config config, List<Layer> layers) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The parts of the image configuration a runtime uses to start the container. */
    public record Config(
            List<String> entrypoint,
            List<String> cmd,
            Map<String, String> env,
            String user,
            String workingDir,
            List<String> exposedPorts,
            Map<String, String> labels) {}

    public record Layer(String digest, String mediaType, Path blob) {}

    /** Unpacks the image tar into {@code dir} and reads its index, manifest and configuration. */
    public static OciImage read(Path tar, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run(List.of("tar", "-xf", tar.toString(), "-C", dir.toString()));
        JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
        JsonNode entry = index.path("manifests").get(0);
        String manifestDigest = entry.path("digest").asText();
        JsonNode manifest = JSON.readTree(blob(dir, manifestDigest).toFile());
        JsonNode config = JSON.readTree(
                blob(dir, manifest.path("config").path("digest").asText()).toFile());
        List<Layer> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            String digest = layer.path("digest").asText();
            layers.add(new Layer(digest, layer.path("mediaType").asText(), blob(dir, digest)));
        }
        return new OciImage(
                dir,
                entry.path("annotations")
                        .path("org.opencontainers.image.ref.name")
                        .asText(),
                manifestDigest,
                config(config.path("config")),
                List.copyOf(layers));
    }

    private static Config config(JsonNode c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : c.path("Env")) {
            String kv = e.asText();
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels")
                .properties()
                .forEach(l -> labels.put(l.getKey(), l.getValue().asText()));
        List<String> ports = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        return new Config(
                strings(c.path("Entrypoint")),
                strings(c.path("Cmd")),
                env,
                c.path("User").asText(""),
                c.path("WorkingDir").asText("/"),
                ports,
                labels);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Path blob(Path dir, String digest) {
        return dir.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    /**
     * Extracts the layers in order into {@code rootfs}. Each layer is unpacked once into
     * {@code layers}/digest and hard-linked into the root, so the base layer the three images share
     * is unpacked once (the container's root is mounted read-only, so shared files cannot change).
     * Jib writes no whiteout files (it only adds layers); one would mean this unpacking is wrong,
     * so it fails.
     */
    public void unpack(Path rootfs, Path layersDir) throws IOException, InterruptedException {
        Files.createDirectories(rootfs);
        for (Layer layer : layers) {
            Path dir = layersDir.resolve(layer.digest().replace(':', '-'));
            if (!Files.isDirectory(dir)) {
                Path partial = layersDir.resolve(dir.getFileName() + ".partial");
                run(List.of("rm", "-rf", partial.toString()));
                Files.createDirectories(partial);
                List<String> extract = new ArrayList<>(List.of(
                        "tar", "-x", "-f", layer.blob().toString(), "-C", partial.toString(), "--numeric-owner"));
                if (layer.mediaType().endsWith("gzip")) {
                    extract.add(1, "-z");
                }
                run(extract);
                try (Stream<Path> files = Files.walk(partial)) {
                    if (files.anyMatch(f -> f.getFileName().toString().startsWith(".wh."))) {
                        throw new IOException("layer " + layer.digest() + " has whiteout entries; not supported");
                    }
                }
                Files.move(partial, dir);
            }
            run(List.of("cp", "-a", "-l", dir + "/.", rootfs + "/"));
        }
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
