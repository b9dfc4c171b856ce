package dev.voicebridge.worker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.microprofile.testing.junit5.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.Test;

/** The worker's runnable application starts with its configuration and serves health. */
@HelidonTest
@AddConfig(key = "server.host", value = "127.0.0.1")
@AddConfig(key = "voicebridge.worker.pod-name", value = "media-worker-7")
class WorkerHealthIT {
    @Inject
    WebTarget target;

    @Inject
    DrainState drain;

    @Test
    void readyUntilDraining() {
        var ready = target.path("/health/ready").request().get();
        assertThat(ready.getStatus()).isEqualTo(200);
        assertThat(ready.readEntity(JsonObject.class).toString()).contains("media-worker-7");

        drain.startDraining();
        var draining = target.path("/health/ready").request().get();
        assertThat(draining.getStatus()).isEqualTo(503);
        assertThat(target.path("/health/live").request().get().getStatus()).isEqualTo(200);
    }
}
