package dev.voicebridge.worker.modelsocket;

import static dev.voicebridge.worker.modelsocket.RawWebSocketPeer.CLOSE;
import static dev.voicebridge.worker.modelsocket.RawWebSocketPeer.CONTINUATION;
import static dev.voicebridge.worker.modelsocket.RawWebSocketPeer.PING;
import static dev.voicebridge.worker.modelsocket.RawWebSocketPeer.PONG;
import static dev.voicebridge.worker.modelsocket.RawWebSocketPeer.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model socket against a frame-level RFC 6455 peer on loopback. */
class ModelSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RawWebSocketPeer peer;
    private final Recorder recorder = new Recorder();

    record Closed(int code, String reason) {}

    static final class Recorder implements ModelSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<Closed> closes = new CopyOnWriteArrayList<>();

        @Override
        public void onText(CharSequence text) {
            texts.add(text.toString());
        }

        @Override
        public void onClosed(int code, String reason) {
            closes.add(new Closed(code, reason));
        }
    }

    @BeforeEach
    void start() throws IOException {
        peer = new RawWebSocketPeer();
    }

    @AfterEach
    void stop() throws IOException {
        peer.close();
    }

    private ModelSocket.Channel open(ModelSocket socket, RawWebSocketPeer.Connection[] accepted) throws Exception {
        var opening = socket.open(peer.uri(), "sk-test", recorder);
        accepted[0] = peer.accept();
        return opening.get(10, TimeUnit.SECONDS);
    }

    @Test
    void sendsTheKeyOnTheUpgradeAndEveryTextMaskedWholeAndInOrderFromManyThreads() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        var channel = open(new ModelSocket(WAIT, 1 << 20), accepted);
        var conn = accepted[0];
        assertThat(conn.headers()).containsEntry("authorization", "Bearer sk-test");

        int threads = 4;
        int each = 300;
        var senders = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    channel.send("{\"from\":" + id + ",\"n\":" + i + ",\"pad\":\"" + "é".repeat(i % 50) + "\"}");
                }
            }));
        }
        for (var s : senders) {
            s.join();
        }
        int[] next = new int[threads];
        for (int k = 0; k < threads * each; k++) {
            var f = conn.read();
            assertThat(f.masked())
                    .as("client frames are masked (RFC 6455 section 5.3)")
                    .isTrue();
            assertThat(f.opcode()).isEqualTo(TEXT);
            assertThat(f.fin()).isTrue();
            String text = f.text();
            int from = Character.getNumericValue(text.charAt(8));
            assertThat(text).startsWith("{\"from\":" + from + ",\"n\":" + next[from] + ",");
            assertThat(text).endsWith("é".repeat(next[from] % 50) + "\"}");
            next[from]++;
        }
        assertThat(next).containsOnly(each);
    }

    @Test
    void joinsAFragmentedMessageAndAnswersAPingSentBetweenItsFragments() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        open(new ModelSocket(WAIT, 1 << 20), accepted);
        var conn = accepted[0];
        String big = "{\"type\":\"response.output_audio.delta\",\"delta\":\"" + "A".repeat(70_000) + "\"}";
        byte[] b = big.getBytes(StandardCharsets.UTF_8);
        conn.send(false, TEXT, java.util.Arrays.copyOfRange(b, 0, 10));
        conn.send(true, PING, "are you there".getBytes(StandardCharsets.UTF_8)); // section 5.4: may interleave
        conn.send(false, CONTINUATION, java.util.Arrays.copyOfRange(b, 10, 40_000));
        conn.send(true, CONTINUATION, java.util.Arrays.copyOfRange(b, 40_000, b.length));

        var pong = conn.read();
        assertThat(pong.opcode()).as("a ping is answered (section 5.5.2)").isEqualTo(PONG);
        assertThat(pong.text()).isEqualTo("are you there");
        await().atMost(WAIT).until(() -> recorder.texts.size() == 1);
        assertThat(recorder.texts.get(0)).isEqualTo(big);
    }

    @Test
    void reportsTheServersCloseCodeOnceAndAnswersIt() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        var channel = open(new ModelSocket(WAIT, 1 << 20), accepted);
        var conn = accepted[0];
        conn.sendClose(4000, "session expired");

        var answer = conn.read();
        assertThat(answer.opcode()).isEqualTo(CLOSE);
        assertThat(answer.closeCode()).isEqualTo(4000);
        await().atMost(WAIT).until(() -> !recorder.closes.isEmpty());
        assertThat(recorder.closes).containsExactly(new Closed(4000, "session expired"));
        assertThat(channel.isOpen()).isFalse();
        channel.send("{\"type\":\"late\"}"); // ignored, no failure
        conn.close();
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> recorder.closes.size() == 1);
    }

    @Test
    void ourCloseSends1000AfterWhatWasQueuedAndIsNotReported() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        var channel = open(new ModelSocket(WAIT, 1 << 20), accepted);
        var conn = accepted[0];
        channel.send("{\"type\":\"last\"}");
        channel.close("call over");
        channel.send("{\"type\":\"after close\"}");

        assertThat(conn.read().text()).isEqualTo("{\"type\":\"last\"}");
        var close = conn.read();
        assertThat(close.opcode()).isEqualTo(CLOSE);
        assertThat(close.closeCode()).isEqualTo(1000);
        assertThat(close.closeReason()).isEqualTo("call over");
        assertThat(channel.isOpen()).isFalse();
        conn.sendClose(1000, "");
        conn.close();
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(recorder.closes::isEmpty);
    }

    @Test
    void aRefusedUpgradeFailsTheOpenWithTheStatus() throws Exception {
        var opening = new ModelSocket(WAIT, 1 << 20).open(peer.uri(), "sk-wrong", recorder);
        var headers = peer.refuse(401);
        assertThat(headers).containsEntry("authorization", "Bearer sk-wrong");
        assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IOException.class)
                .hasMessageContaining("401");
    }

    @Test
    void anUpgradeWithoutAnswerFailsWithinTheHandshakeTimeout() {
        // The peer's backlog takes the TCP connection; nobody ever answers the upgrade.
        var opening = new ModelSocket(Duration.ofMillis(300), 1 << 20).open(peer.uri(), "sk-test", recorder);
        assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void aMessageOverTheBoundEndsTheSocketAsTooBig() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        var channel = open(new ModelSocket(WAIT, 1000), accepted);
        var conn = accepted[0];
        conn.sendText("{\"ok\":1}");
        conn.send(false, TEXT, "x".repeat(600).getBytes(StandardCharsets.US_ASCII));
        conn.send(true, CONTINUATION, "y".repeat(600).getBytes(StandardCharsets.US_ASCII));

        var close = conn.read();
        assertThat(close.opcode()).isEqualTo(CLOSE);
        assertThat(close.closeCode()).as("message too big (section 7.4.1)").isEqualTo(1009);
        await().atMost(WAIT).until(() -> !recorder.closes.isEmpty());
        assertThat(recorder.texts).containsExactly("{\"ok\":1}");
        assertThat(recorder.closes).extracting(Closed::code).containsExactly(1009);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aConnectionLostWithoutACloseIsReportedAs1006() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        open(new ModelSocket(WAIT, 1 << 20), accepted);
        accepted[0].close();
        await().atMost(WAIT).until(() -> !recorder.closes.isEmpty());
        assertThat(recorder.closes).extracting(Closed::code).containsExactly(1006);
    }

    @Test
    void aPeerThatStopsReadingIsGivenUpOnceTheQueueIsFull() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        var channel = open(new ModelSocket(WAIT, 1 << 20), accepted);
        String chunk = "A".repeat(64 * 1024);
        // The peer never reads: the socket buffers fill, then the queue; memory stays bounded.
        for (int i = 0; i < 2000 && recorder.closes.isEmpty(); i++) {
            channel.send(chunk);
            if (i % 50 == 49) {
                await().pollDelay(Duration.ofMillis(20)).atMost(WAIT).until(() -> true);
            }
        }
        await().atMost(WAIT).until(() -> !recorder.closes.isEmpty());
        assertThat(recorder.closes).extracting(Closed::code).containsExactly(1006);
        assertThat(recorder.closes.get(0).reason()).contains("stopped reading");
        assertThat(channel.isOpen()).isFalse();
    }
}
