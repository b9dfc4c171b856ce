package dev.voicebridge.signaling.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import org.glassfish.jersey.server.ExtendedUriInfo;

/**
 * A server span per request, child of an incoming {@code traceparent} when there is one. Pre-
 * matching so it runs before authentication and also covers rejected requests. The span travels
 * in a request property; {@link #traceparent} renders it for the VoiceCall annotation. Named by
 * the route once Jersey matched one ({@code POST /v1/calls/{callId}/accepted}), never by the raw
 * path: that holds WhatsApp call ids, which stay out of exported telemetry as out of INFO logs.
 */
@Dependent
@Provider
@PreMatching
public class ServerSpanFilter implements ContainerRequestFilter, ContainerResponseFilter {
    static final String SPAN = ServerSpanFilter.class.getName() + ".span";

    private static final TextMapGetter<ContainerRequestContext> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ContainerRequestContext carrier) {
            return carrier.getHeaders().keySet();
        }

        @Override
        public String get(ContainerRequestContext carrier, String key) {
            return carrier == null ? null : carrier.getHeaderString(key);
        }
    };

    private final Tracer tracer;

    @Inject
    public ServerSpanFilter(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), request, HEADERS);
        Span span = tracer.spanBuilder(request.getMethod())
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", request.getMethod())
                .startSpan();
        request.setProperty(SPAN, span);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(SPAN) instanceof Span span) {
            String route = route(request);
            if (route != null) {
                span.updateName(request.getMethod() + " " + route);
                span.setAttribute("http.route", route);
            }
            span.setAttribute("http.response.status_code", response.getStatus());
            if (response.getStatus() >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }

    /** The matched resource's path template, e.g. {@code /v1/calls/{callId}}; null when nothing matched. */
    static String route(ContainerRequestContext request) {
        if (!(request.getUriInfo() instanceof ExtendedUriInfo uri)
                || uri.getMatchedTemplates().isEmpty()) {
            return null;
        }
        var templates = new java.util.ArrayList<>(uri.getMatchedTemplates());
        java.util.Collections.reverse(templates);
        String route = templates.stream()
                .map(t -> t.getTemplate())
                .collect(java.util.stream.Collectors.joining("/"))
                .replaceAll("/+", "/");
        return route.startsWith("/") ? route : "/" + route;
    }

    /** W3C {@code traceparent} of the request's server span, or null outside a request. */
    public static String traceparent(ContainerRequestContext request) {
        if (!(request.getProperty(SPAN) instanceof Span span)
                || !span.getSpanContext().isValid()) {
            return null;
        }
        var context = span.getSpanContext();
        return String.join(
                "-",
                List.of(
                        "00",
                        context.getTraceId(),
                        context.getSpanId(),
                        context.getTraceFlags().asHex()));
    }
}
