package dev.voicebridge.media.sdp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared real-traffic fixtures live in {@code shared/fixtures} beside the repository (CI
 * checks shared/ out next to the clone), so they are found by walking up from the module.
 */
final class Fixtures {
    private Fixtures() {}

    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures");
            if (Files.isRegularFile(candidate.resolve("whatsapp-offer.sdp"))) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "shared/fixtures not found above " + Path.of("").toAbsolutePath());
    }

    static String read(String name) {
        try {
            return Files.readString(dir().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code session.sdp} JSON string of the connect webhook, unescaped (no JSON library here). */
    static String sdpFromConnectWebhook() {
        String json = read("whatsapp-connect.json");
        int key = json.indexOf("\"sdp\"");
        int start = json.indexOf('"', json.indexOf(':', key) + 1) + 1;
        var sb = new StringBuilder();
        for (int i = start; ; i++) {
            char c = json.charAt(i);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case 'r' -> sb.append('\r');
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
    }
}
