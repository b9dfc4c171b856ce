package dev.voicebridge.signaling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;
import org.junit.jupiter.api.Test;

/** Server spans are named by the matched route, so WhatsApp call ids never reach exported telemetry. */
class ServerSpanFilterTest {
    static final String RAW_CALL_ID = "wacid.HBgMOTE3MzU4NTgwMTgw";

    @Test
    void aMatchedRequestIsNamedByItsRouteAndCarriesNoRawPath() {
        var exporter = InMemorySpanExporter.create();
        try (var provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build()) {
            var filter = new ServerSpanFilter(provider.get("test"));
            run(filter, "POST", List.of(new UriTemplate("/{callId}/accepted"), new UriTemplate("/v1/calls")), true);
            run(filter, "GET", List.of(), false);
            assertThat(exporter.getFinishedSpanItems()).hasSize(2);

            var spans = exporter.getFinishedSpanItems();
            assertThat(spans).extracting(s -> s.getName()).containsExactly("POST /v1/calls/{callId}/accepted", "GET");
            assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("http.route")))
                    .isEqualTo("/v1/calls/{callId}/accepted");
            assertThat(spans.get(0).getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                    .isEqualTo(204L);
            spans.forEach(span -> assertThat(span.toString()).doesNotContain(RAW_CALL_ID));
        }
    }

    static void run(ServerSpanFilter filter, String method, List<UriTemplate> templates, boolean matched) {
        Map<String, Object> properties = new HashMap<>();
        ExtendedUriInfo uri = proxy(ExtendedUriInfo.class, (name, args) -> switch (name) {
            case "getMatchedTemplates" -> templates;
            case "getPath" -> "v1/calls/" + RAW_CALL_ID + "/accepted";
            default -> null;
        });
        ContainerRequestContext request = proxy(ContainerRequestContext.class, (name, args) -> switch (name) {
            case "getMethod" -> method;
            case "getUriInfo" -> uri;
            case "getHeaders" -> new jakarta.ws.rs.core.MultivaluedHashMap<String, String>();
            case "setProperty" -> properties.put((String) args[0], args[1]);
            case "getProperty" -> properties.get((String) args[0]);
            default -> null;
        });
        ContainerResponseContext response = proxy(ContainerResponseContext.class, (name, args) -> switch (name) {
            case "getStatus" -> matched ? 204 : 404;
            default -> null;
        });
        filter.filter(request);
        filter.filter(request, response);
    }

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(
                type.getClassLoader(),
                new Class<?>[] {type},
                (p, method, args) -> answer.apply(method.getName(), args));
    }
}
