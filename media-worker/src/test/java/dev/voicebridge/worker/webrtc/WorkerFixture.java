package dev.voicebridge.worker.webrtc;

import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.worker.ice.IceConfig;
import java.time.Duration;
import java.util.List;

/** A worker engine on 10.77.0.1 (any port) plus a phone host, per test class. */
final class WorkerFixture implements AutoCloseable {
    final WebRtcHost engine;
    final PhoneHost phones;

    WorkerFixture(TransportConfig config) throws Exception {
        this.engine = WebRtcHost.start(config);
        this.phones = PhoneHost.start();
    }

    static TransportConfig testConfig() {
        return TransportConfig.defaults()
                .withEndpoint(TestNetwork.WORKER, 0, List.of())
                .withIce(new IceConfig(
                        Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(3)))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        phones.close();
        engine.close();
    }
}
