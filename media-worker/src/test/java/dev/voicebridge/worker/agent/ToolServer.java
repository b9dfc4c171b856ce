package dev.voicebridge.worker.agent;

import com.sun.net.httpserver.HttpServer;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.HttpTool;
import dev.voicebridge.api.v1alpha1.ToolType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * HTTP tools on 127.0.0.1 for the agent tests: {@code /weather} answers JSON, {@code /broken}
 * answers 500, {@code /slow} answers only when the test closes the server.
 */
public final class ToolServer implements AutoCloseable {
    public final List<String> bodies = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final HttpServer server;

    public ToolServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/weather", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"city\":\"Paris\",\"tempC\":21}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/broken", ex -> {
            byte[] body = "database down".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                releaseSlow.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** An HTTP tool of the VoiceAgent posting to {@code path} on this server. */
    public AgentTool tool(String name, String path, int timeoutMillis) {
        var t = new AgentTool();
        t.setName(name);
        t.setType(ToolType.http);
        t.setDescription("test tool " + name);
        var http = new HttpTool();
        http.setUrl("http://127.0.0.1:" + server.getAddress().getPort() + path);
        http.setInsecure(true); // the stand-in tool server is plain HTTP on loopback
        http.setTimeoutMillis(timeoutMillis);
        t.setHttp(http);
        return t;
    }

    @Override
    public void close() {
        releaseSlow.countDown();
        server.stop(0);
    }
}
