package dev.voicebridge.worker.modelsocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The send queue against a {@link WebSocket} that completes sends only when told, as the JDK's
 * does once the bytes are written: the orders the JDK's threads can produce, made deterministic.
 */
class JdkModelChannelTest {
    /** Records sends; each completes when the test says. The JDK fails a second outstanding send. */
    static final class ManualSocket implements WebSocket {
        final List<String> texts = new ArrayList<>();
        final List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        int outstanding;
        int maxOutstanding;
        Integer closeCode;

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            texts.add(data.toString());
            outstanding++;
            maxOutstanding = Math.max(maxOutstanding, outstanding);
            var f = new CompletableFuture<WebSocket>();
            pending.add(f);
            return f;
        }

        void completeNext() {
            outstanding--;
            pending.remove(0).complete(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            closeCode = statusCode;
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void request(long n) {}

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return closeCode != null;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {}
    }

    private static final ModelSocket.Listener NOBODY = new ModelSocket.Listener() {
        @Override
        public void onText(String text) {}

        @Override
        public void onClosed(int code, String reason) {}
    };

    @Test
    void whatIsSentBeforeTheJdkCallsOnOpenGoesOutAfterIt() {
        // The JDK completes the open and calls onOpen on different threads, in either order.
        var channel = new JdkModelChannel(NOBODY, 1 << 20);
        channel.send("{\"type\":\"session.start\"}");
        var ws = new ManualSocket();
        channel.onOpen(ws);
        assertThat(ws.texts).containsExactly("{\"type\":\"session.start\"}");
    }

    @Test
    void oneSendOutstandingAtATimeInOrderAndTheCloseLast() {
        var channel = new JdkModelChannel(NOBODY, 1 << 20);
        var ws = new ManualSocket();
        channel.onOpen(ws);
        channel.send("a");
        channel.send("b");
        channel.send("c");
        channel.close("call over");
        assertThat(ws.texts).containsExactly("a");
        ws.completeNext();
        ws.completeNext();
        assertThat(ws.closeCode).isNull();
        ws.completeNext();
        assertThat(ws.texts).containsExactly("a", "b", "c");
        assertThat(ws.maxOutstanding).isEqualTo(1);
        assertThat(ws.closeCode).isEqualTo(WebSocket.NORMAL_CLOSURE);
    }
}
