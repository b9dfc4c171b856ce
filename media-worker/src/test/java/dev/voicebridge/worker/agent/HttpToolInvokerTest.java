package dev.voicebridge.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.HttpTool;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.ToolType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an HTTP tool may send where: https unless the tool says insecure, and a bearer token only
 * when its Secret could be read as a tool secret — otherwise nothing leaves the worker.
 */
class HttpToolInvokerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer tool;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private String base;

    @BeforeEach
    void start() throws Exception {
        tool = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tool.createContext("/book", ex -> {
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"booked\":true}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        tool.start();
        base = "http://127.0.0.1:" + tool.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        tool.stop(0);
    }

    private static AgentTool tool(String url, Boolean insecure, SecretKeyRef token) {
        var http = new HttpTool();
        http.setUrl(url);
        http.setInsecure(insecure);
        http.setBearerTokenSecret(token);
        var t = new AgentTool();
        t.setName("book");
        t.setType(ToolType.http);
        t.setHttp(http);
        return t;
    }

    private static SecretKeyRef ref(String name) {
        var ref = new SecretKeyRef();
        ref.setName(name);
        ref.setKey("token");
        return ref;
    }

    private String invoke(AgentTool tool, Function<SecretKeyRef, String> secrets) throws Exception {
        var invoker = new HttpToolInvoker(JSON, secrets, null);
        try {
            return invoker.invoke(tool, "{\"day\":\"2026-01-02\"}").get(10, TimeUnit.SECONDS);
        } finally {
            invoker.close();
        }
    }

    @Test
    void aPlainHttpUrlIsRefusedUnlessTheToolSaysInsecure() throws Exception {
        String refused = invoke(tool(base + "/book", null, ref("booking")), r -> "s3cret");
        assertThat(JSON.readTree(refused).path("error").asText()).isEqualTo("insecure_url");
        assertThat(invoke(tool(base + "/book", false, null), r -> null)).contains("insecure_url");
        assertThat(authorizations).as("nothing was sent").isEmpty();

        assertThat(invoke(tool(base + "/book", true, ref("booking")), r -> "s3cret"))
                .isEqualTo("{\"booked\":true}");
        assertThat(authorizations).containsExactly("Bearer s3cret");
    }

    @Test
    void aTokenThatCannotBeReadAsAToolSecretStopsTheCallInsteadOfSendingItWithout() throws Exception {
        String failed = invoke(tool(base + "/book", true, ref("openai")), r -> null);
        assertThat(JSON.readTree(failed).path("error").asText()).isEqualTo("secret_unavailable");
        assertThat(failed).contains("voicebridge.dev/tool-secret");
        assertThat(authorizations).isEmpty();
    }

    @Test
    void anUnparseableUrlIsAnErrorForTheModelNotAnException() throws Exception {
        assertThat(invoke(tool("https://exa mple.com/ book", null, null), r -> null))
                .contains("\"error\":\"not_configured\"");
    }
}
