package dev.voicebridge.worker.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.agent.AgentConfig;
import dev.voicebridge.worker.live.LiveSettings;
import dev.voicebridge.worker.providers.ModelProviders;
import dev.voicebridge.worker.realtime.RealtimeSettings;
import dev.voicebridge.worker.telemetry.CallTracing;
import dev.voicebridge.worker.webrtc.WebRtcHost;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #12: the worker answers a call without waiting for the model. The Realtime endpoint here
 * accepts the TCP connection and never answers the WebSocket upgrade, so the agent's pre-warmed
 * session hangs in its handshake; the answer must be out, and ICE and DTLS-SRTP up with the
 * synthetic phone, while it does. Then the call must end with AgentUnavailable after the agent's
 * {@code unavailable-after}, counted from the first attempt and not from the end of a handshake
 * that may hang for the whole {@code connect-timeout}, and no socket to the model may outlive the
 * handshake timeout. The assertions are on the order of events; the waits are only the test's
 * budget.
 */
@Timeout(120)
class HangingModelIT {
    /**
     * The agent's {@code connect-timeout}: longer than {@code unavailable-after} (2 s), so the call
     * ends while the first handshake still hangs.
     */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(6);

    HangingEndpoint model;
    WebRtcHost media;
    PhoneHost phones;

    @BeforeEach
    void start() throws Exception {
        TestNetwork.requireNamespace();
        model = new HangingEndpoint();
        media = RealWorker.mediaHost();
        phones = PhoneHost.start();
    }

    @AfterEach
    void stop() throws IOException {
        phones.close();
        media.close();
        model.close();
    }

    @Test
    void theAnswerIsWrittenAndMediaConnectsWhileTheModelHandshakeHangs() throws Exception {
        var realtime = new RealtimeSettings(
                URI.create("ws://127.0.0.1:" + model.port() + "/v1/realtime"),
                HANDSHAKE_TIMEOUT,
                RealtimeSettings.DEFAULTS.maxMessageBytes(),
                RealtimeSettings.DEFAULTS.embedded());
        var config =
                AgentConfig.DEFAULTS.withUnavailableAfter(Duration.ofSeconds(2)).with("unavailable-notice", "false");
        var engine = new WorkerCallEngine(
                media, config, new ModelProviders(realtime, LiveSettings.DEFAULTS), new ObjectMapper());
        var ends = new CopyOnWriteArrayList<EndReason>();
        var connected = new CompletableFuture<Void>();

        try (SyntheticPhone phone =
                phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), PhoneOptions.defaults())) {
            String name = CallNames.forCallId("wacid.hanging-model");
            // On another thread: an engine that waited for the model would not return during the test.
            CompletableFuture<CallEngine.RunningCall> starting = CompletableFuture.supplyAsync(() -> answer(
                    engine,
                    new CallEngine.CallSetup(
                            name,
                            "wacid.hanging-model",
                            phone.offer(),
                            AcceptBy.caller,
                            agent(),
                            null,
                            Optional.of("sk-test-voicebridge"),
                            ref -> null,
                            CallTracing.noop().begin(name, AcceptBy.caller.name(), null),
                            null),
                    new CallEngine.CallObserver() {
                        @Override
                        public void mediaConnected() {
                            connected.complete(null);
                        }

                        @Override
                        public void ended(EndReason reason, String message) {
                            ends.add(reason);
                        }
                    }));
            // The pre-warmed session reached the model; the upgrade request is all it will ever get.
            await().atMost(Duration.ofSeconds(10)).until(() -> model.upgradeRequested(0));
            await().atMost(Duration.ofSeconds(20)).until(starting::isDone);
            String answer = starting.join().sdpAnswer();
            assertThat(answer).as("the SDP answer the worker writes").contains("a=fingerprint:");
            assertThat(model.pending(0))
                    .as("the model handshake, when the answer is out")
                    .isTrue();

            phone.acceptAnswer(answer);
            assertThat(phone.awaitConnected(Duration.ofSeconds(15))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(connected::isDone);
            assertThat(ends).isEmpty();
            assertThat(model.pending(0))
                    .as("the model handshake, once ICE and DTLS are up")
                    .isTrue();

            await().atMost(Duration.ofSeconds(30)).until(() -> !ends.isEmpty());
            assertThat(ends).containsExactly(EndReason.AgentUnavailable);
            assertThat(model.pending(0))
                    .as("the first handshake, when the call ends: unavailable-after counts from it")
                    .isTrue();
            // No socket to the model outlives its handshake timeout: the endpoint reads EOF on every
            // one. Ending the agent cannot close a handshake in flight (the JDK's WebSocket builder
            // gives no handle on the connection: cancelling its future does not reach the exchange),
            // so the JDK's own opening-handshake timeout closes it.
            await().atMost(HANDSHAKE_TIMEOUT.plusSeconds(10)).until(model::allClosed);
        }
    }

    private static CallEngine.RunningCall answer(
            CallEngine engine, CallEngine.CallSetup setup, CallEngine.CallObserver observer) {
        try {
            return engine.start(setup, observer);
        } catch (CallEngine.CallSetupException e) {
            throw new AssertionError("the engine refused the call", e);
        }
    }

    private static VoiceAgentSpec agent() {
        var spec = new VoiceAgentSpec();
        spec.setModel("gpt-realtime-2.1");
        spec.setInstructions("You are the voicebridge test agent.");
        return spec;
    }

    /**
     * A model endpoint on loopback that accepts connections and holds them open, reading what the
     * client sends and writing nothing back: a WebSocket upgrade that never completes.
     */
    static final class HangingEndpoint implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Held> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        /** One accepted connection: whether the upgrade request came, and when the client closed it. */
        record Held(Socket socket, CompletableFuture<Void> requested, CompletableFuture<Void> closed) {}

        HangingEndpoint() throws IOException {
            acceptor = Thread.ofVirtual().name("hanging-model").start(this::acceptAll);
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptAll() {
            try {
                while (true) {
                    var h = new Held(server.accept(), new CompletableFuture<>(), new CompletableFuture<>());
                    held.add(h);
                    Thread.ofVirtual().start(() -> drain(h));
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private static void drain(Held h) {
            var buf = new byte[4096];
            try (InputStream in = h.socket().getInputStream()) {
                int n;
                while ((n = in.read(buf)) != -1) {
                    if (n > 0) {
                        h.requested().complete(null);
                    }
                }
            } catch (IOException reset) {
                // a reset is a close too
            }
            h.closed().complete(null);
        }

        boolean upgradeRequested(int i) {
            return held.size() > i && held.get(i).requested().isDone();
        }

        /** Connection {@code i} is accepted, unanswered and not closed by the client. */
        boolean pending(int i) {
            return held.size() > i && !held.get(i).closed().isDone();
        }

        boolean allClosed() {
            return !held.isEmpty() && held.stream().allMatch(h -> h.closed().isDone());
        }

        @Override
        public void close() throws IOException {
            server.close();
            acceptor.interrupt();
            for (var h : held) {
                h.socket().close();
            }
        }
    }
}
