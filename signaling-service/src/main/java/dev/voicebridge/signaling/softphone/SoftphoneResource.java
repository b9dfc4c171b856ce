package dev.voicebridge.signaling.softphone;

import dev.voicebridge.signaling.config.ConfigKeys;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import dev.voicebridge.signaling.security.PublicEndpoint;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A browser softphone: a page whose RTCPeerConnection offers to {@code POST /v1/calls} like any
 * client, so a person talks to an agent through the path a WhatsApp call takes. Off unless {@code
 * voicebridge.softphone.enabled}; then 404 like any unknown path. The page and its script are
 * static and hold nothing: the call API token is typed into the page (or given in the URL's
 * fragment, which never reaches a server) and every call-API request it makes is authenticated.
 */
@Dependent
@Path("/softphone")
@PublicEndpoint("static page and script without data; the calls it places use the call API's bearer token")
@Tag(name = "softphone", description = "Browser softphone (voicebridge.softphone.enabled)")
public class SoftphoneResource {
    /** Only this origin's scripts, styles, API calls; no frames, no plugins. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; media-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final boolean enabled;

    @Inject
    public SoftphoneResource(
            @ConfigProperty(name = ConfigKeys.SOFTPHONE_ENABLED, defaultValue = "false") boolean enabled) {
        this.enabled = enabled;
    }

    @GET
    @Produces("text/html; charset=utf-8")
    @Operation(summary = "The softphone page (404 unless voicebridge.softphone.enabled)")
    @APIResponse(responseCode = "200", description = "the page")
    @APIResponse(responseCode = "404", description = "not-found (the softphone is off)")
    public Response page() {
        return asset("index.html", "text/html; charset=utf-8");
    }

    @GET
    @Path("/softphone.js")
    @Produces("text/javascript; charset=utf-8")
    @Operation(summary = "The softphone's script")
    @APIResponse(responseCode = "200", description = "the script")
    @APIResponse(responseCode = "404", description = "not-found (the softphone is off)")
    public Response script() {
        return asset("softphone.js", "text/javascript; charset=utf-8");
    }

    @GET
    @Path("/softphone.css")
    @Produces("text/css; charset=utf-8")
    @Operation(summary = "The softphone's style sheet")
    @APIResponse(responseCode = "200", description = "the style sheet")
    @APIResponse(responseCode = "404", description = "not-found (the softphone is off)")
    public Response style() {
        return asset("softphone.css", "text/css; charset=utf-8");
    }

    private Response asset(String name, String type) {
        if (!enabled) {
            throw new ProblemException(ProblemCode.NOT_FOUND, "no such endpoint");
        }
        try (InputStream in = SoftphoneResource.class.getResourceAsStream("/softphone/" + name)) {
            if (in == null) {
                throw new IllegalStateException("softphone asset missing from the jar: " + name);
            }
            return Response.ok(in.readAllBytes(), type)
                    .header("Content-Security-Policy", POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-cache")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
