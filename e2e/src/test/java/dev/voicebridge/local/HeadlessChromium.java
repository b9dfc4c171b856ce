package dev.voicebridge.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket, JSON
 * commands: https://chromedevtools.github.io/devtools-protocol/) with the JDK's own client. Its
 * microphone is a WAV file (Chromium's fake capture device, looped), its permission prompt is
 * answered yes, and WebRTC may use loopback candidates: everything stays on this machine.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> console = new java.util.concurrent.CopyOnWriteArrayList<>();

    private HeadlessChromium(Process process, WebSocket page) {
        this.process = process;
        this.page = page;
    }

    /** The browser: {@code VOICEBRIDGE_CHROMIUM}, else /usr/bin/chromium. */
    static String binary() {
        String configured = System.getenv("VOICEBRIDGE_CHROMIUM");
        return configured != null && !configured.isBlank() ? configured : "/usr/bin/chromium";
    }

    static HeadlessChromium start(Path microphoneWav, Path profile, Path log) throws Exception {
        Files.createDirectories(profile);
        var command = List.of(
                binary(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + microphoneWav,
                "--allow-loopback-in-peer-connection",
                "--autoplay-policy=no-user-gesture-required",
                "--window-size=900,1000",
                "about:blank");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(
                    "Chromium is needed (apt-get install chromium, as .ci/run does): " + e.getMessage(), e);
        }
        var endpoint = new CompletableFuture<String>();
        // A platform thread: a pipe read would hold a virtual thread's carrier (see ServiceProcess).
        Thread.ofPlatform().daemon().name("chromium-output").start(() -> {
            try (var reader = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    var out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    var m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        endpoint.complete(m.group(1));
                    }
                    out.write(line);
                    out.newLine();
                    out.flush();
                }
            } catch (IOException ignored) {
                // the browser ended
            }
            endpoint.completeExceptionally(new IllegalStateException("Chromium exited; see " + log));
        });
        URI browser = URI.create(endpoint.get(30, TimeUnit.SECONDS));
        // The page target Chromium opened with about:blank.
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        JsonNode targets = JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        String pageUrl = null;
        for (JsonNode t : targets) {
            if ("page".equals(t.path("type").asText())) {
                pageUrl = t.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageUrl == null) {
            throw new IllegalStateException("Chromium has no page target: " + targets);
        }
        var holder = new CompletableFuture<HeadlessChromium>();
        var listener = new Listener(holder);
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create(pageUrl), listener)
                .get(10, TimeUnit.SECONDS);
        var chromium = new HeadlessChromium(process, socket);
        holder.complete(chromium);
        chromium.send("Runtime.enable", JSON.createObjectNode());
        chromium.send("Page.enable", JSON.createObjectNode());
        return chromium;
    }

    /** Assembles the text frames of each message and hands replies to their waiters. */
    private static final class Listener implements WebSocket.Listener {
        private final CompletableFuture<HeadlessChromium> owner;
        private final StringBuilder message = new StringBuilder();

        Listener(CompletableFuture<HeadlessChromium> owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                owner.thenAccept(c -> c.dispatch(text));
            }
            socket.request(1);
            return null;
        }
    }

    private void dispatch(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                var waiter = pending.remove(message.path("id").asInt());
                if (waiter != null) {
                    waiter.complete(message);
                }
            } else if ("Runtime.consoleAPICalled".equals(message.path("method").asText())) {
                console.add(message.path("params").path("args").toString());
            } else if ("Runtime.exceptionThrown".equals(message.path("method").asText())) {
                console.add("exception: " + message.path("params").path("exceptionDetails"));
            }
        } catch (IOException e) {
            console.add("unparseable DevTools message: " + e.getMessage());
        }
    }

    JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        var reply = new CompletableFuture<JsonNode>();
        pending.put(id, reply);
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", params);
        page.sendText(JSON.writeValueAsString(command), true).get(10, TimeUnit.SECONDS);
        JsonNode message = reply.get(60, TimeUnit.SECONDS);
        if (message.has("error")) {
            throw new IllegalStateException(method + " failed: " + message.path("error"));
        }
        return message.path("result");
    }

    void navigate(String url) throws Exception {
        send("Page.navigate", JSON.createObjectNode().put("url", url));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "complete"
                .equals(evaluate("document.readyState").asText()));
    }

    /** The value of a JavaScript expression in the page (promises awaited). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = send(
                "Runtime.evaluate",
                JSON.createObjectNode()
                        .put("expression", expression)
                        .put("returnByValue", true)
                        .put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page threw: " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** The text of the element with this id. */
    String text(String id) throws Exception {
        return evaluate("document.getElementById('" + id + "').textContent").asText();
    }

    void click(String id) throws Exception {
        evaluate("document.getElementById('" + id + "').click()");
    }

    void screenshot(Path png) throws Exception {
        JsonNode shot = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    List<String> console() {
        return new ArrayList<>(console);
    }

    @Override
    public void close() throws Exception {
        page.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
