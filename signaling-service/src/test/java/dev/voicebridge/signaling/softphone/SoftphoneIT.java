package dev.voicebridge.signaling.softphone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.signaling.SignalingTestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The softphone's page and assets: served with a strict Content-Security-Policy when the flag is
 * on, 404 like an unknown path when off. Its behaviour in a browser is LocalStackE2E's.
 */
class SoftphoneIT {
    @Test
    void servedWithAStrictPolicyOnlyWhenEnabled() throws Exception {
        try (var server = SignalingTestServer.start(Map.of("voicebridge.softphone.enabled", "true"))) {
            var page = server.get("/softphone", Map.of());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(SoftphoneResource.POLICY);
            assertThat(page.body()).contains("<script src=\"softphone/softphone.js\" defer></script>");
            // No inline script or handler: the policy allows none.
            assertThat(page.body()).doesNotContain("<script>").doesNotContain("onclick");
            var script = server.get("/softphone/softphone.js", Map.of());
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.body()).contains("\"/v1/calls\"").contains("/accepted");
            assertThat(server.get("/softphone/softphone.css", Map.of()).statusCode())
                    .isEqualTo(200);
        }
        try (var server = SignalingTestServer.start(Map.of())) {
            for (String path : new String[] {"/softphone", "/softphone/softphone.js", "/softphone/softphone.css"}) {
                var off = server.get(path, Map.of());
                assertThat(off.statusCode()).as(path).isEqualTo(404);
                assertThat(off.body()).contains("\"code\":\"not-found\"");
            }
        }
    }
}
