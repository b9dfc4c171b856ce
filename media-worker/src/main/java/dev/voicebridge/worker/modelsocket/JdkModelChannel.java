package dev.voicebridge.worker.modelsocket;

import dev.voicebridge.api.log.LogLine;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One model socket over {@link java.net.http.WebSocket}: the parts the JDK leaves to its user.
 *
 * <ul>
 *   <li>Sends: the JDK allows one outstanding send at a time, so texts wait in a queue and the
 *       next goes out when the previous completed, in order. A peer that stops reading would let
 *       that queue grow without end; above {@value #MAX_QUEUED_CHARS} queued characters (about
 *       16 s of caller audio) the socket is given up and reported closed (1006), and the session
 *       owner reconnects as after any other loss.
 *   <li>Receives: a message may arrive in parts (RFC 6455 section 5.4, fragmentation, or the
 *       client's buffer size); parts are joined up to {@code maxMessageBytes} characters. A larger
 *       message ends the socket: reported as 1009, "message too big" (section 7.4.1), and closed
 *       on the wire with 1008, as the JDK does not let a client send 1009. One message is
 *       requested at a time, so a slow listener slows the peer instead of filling memory.
 *   <li>The end: reported once — a remote close with its code, a network or protocol error as
 *       1006 (section 7.4.1: never sent on the wire, "closed abnormally") — and never for a close
 *       we asked for. Our close sends 1000 after whatever was queued before it and aborts the TCP
 *       connection if the peer does not answer within {@value #CLOSE_WAIT_MILLIS} ms (section
 *       7.1.1 lets the client close it).
 * </ul>
 *
 * Pings are answered with pongs by the JDK (section 5.5.2).
 */
final class JdkModelChannel implements WebSocket.Listener, ModelSocket.Channel {
    private static final Logger LOG = Logger.getLogger(JdkModelChannel.class.getName());
    static final int MAX_QUEUED_CHARS = 1 << 20;
    static final long CLOSE_WAIT_MILLIS = 5000;
    /** Control frames carry at most 125 bytes (RFC 6455 section 5.5): 2 of code, 123 of reason. */
    private static final int MAX_REASON_BYTES = 123;

    private static final int POLICY_VIOLATION = 1008;

    /** What waits in the send queue: a text, or our close (always the last thing sent). */
    private sealed interface Outgoing {}

    private record Text(String text) implements Outgoing {}

    private record Close(String reason) implements Outgoing {}

    private final ModelSocket.Listener listener;
    private final int maxMessageChars;
    private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean closedByUs;
    private volatile WebSocket socket;
    /** Parts of a message received so far; listener calls are sequential (the JDK's guarantee). */
    private StringBuilder parts;

    JdkModelChannel(ModelSocket.Listener listener, int maxMessageChars) {
        this.listener = listener;
        this.maxMessageChars = maxMessageChars;
    }

    @Override
    public void onOpen(WebSocket ws) {
        attach(ws);
        ws.request(1);
    }

    /**
     * The JDK may complete the open before it calls {@link #onOpen} (on another thread), so both
     * attach the socket; whatever was sent before goes out now.
     */
    void attach(WebSocket ws) {
        this.socket = ws;
        pump();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        try {
            take(ws, data, last);
        } finally {
            ws.request(1); // the next part only once this one is handed over
        }
        return null;
    }

    private void take(WebSocket ws, CharSequence data, boolean last) {
        if (ended.get()) {
            return;
        }
        if (last && parts == null) {
            if (data.length() > maxMessageChars) {
                tooBig(ws);
                return;
            }
            listener.onText(data.toString()); // copied: the JDK may reuse data once we return
            return;
        }
        if (parts == null) {
            parts = new StringBuilder(Math.min(maxMessageChars, Math.max(2 * data.length(), 1024)));
        }
        if (parts.length() + data.length() > maxMessageChars) {
            parts = null;
            tooBig(ws);
            return;
        }
        parts.append(data);
        if (last) {
            String text = parts.toString();
            parts = null;
            listener.onText(text);
        }
    }

    private void tooBig(WebSocket ws) {
        String reason = "message over " + maxMessageChars + " characters";
        if (ended.compareAndSet(false, true)) {
            queue.clear();
            // The JDK's client may not send 1009; 1008 is RFC 6455's fallback (section 7.4.1).
            ws.sendClose(POLICY_VIOLATION, reason).whenComplete((w, e) -> abortLater(ws));
            if (!closedByUs) {
                listener.onClosed(1009, reason);
            }
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        // Returning null lets the JDK answer with the same code (RFC 6455 section 5.5.1).
        end(statusCode, reason);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        LOG.log(Level.FINE, LogLine.of("model.socket-error"), error);
        end(1006, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    }

    private void end(int code, String reason) {
        if (ended.compareAndSet(false, true)) {
            queue.clear();
            if (!closedByUs) {
                listener.onClosed(code, reason);
            }
        }
    }

    @Override
    public void send(String text) {
        if (ended.get() || closedByUs) {
            return;
        }
        if (queuedChars.addAndGet(text.length()) > MAX_QUEUED_CHARS) {
            var ws = socket;
            LOG.warning(LogLine.of("model.socket-stalled", "queued", Long.toString(queuedChars.get())));
            end(1006, "the peer stopped reading: over " + MAX_QUEUED_CHARS + " characters queued");
            if (ws != null) {
                ws.abort();
            }
            return;
        }
        queue.add(new Text(text));
        pump();
    }

    /**
     * Sends what is queued, one at a time. Whoever wins {@code sending} sends; a send that
     * completes at once is followed in this loop (no recursion), a pending one continues from its
     * completion.
     */
    private void pump() {
        // the socket is known once set (never unset): nothing is taken from the queue before
        while (!queue.isEmpty() && socket != null && sending.compareAndSet(false, true)) {
            var ws = socket;
            Outgoing next = queue.poll();
            if (next == null) {
                sending.set(false);
                continue;
            }
            CompletableFuture<WebSocket> sent =
                    switch (next) {
                        case Text t -> {
                            queuedChars.addAndGet(-t.text().length());
                            yield ws.sendText(t.text(), true);
                        }
                        case Close c -> {
                            abortLater(ws);
                            yield ws.sendClose(WebSocket.NORMAL_CLOSURE, c.reason());
                        }
                    };
            if (sent.isDone() && !sent.isCompletedExceptionally()) {
                sending.set(false);
                continue;
            }
            sent.whenComplete((w, failure) -> {
                sending.set(false);
                if (failure != null) {
                    sendFailed(ws, failure);
                } else {
                    pump();
                }
            });
            return;
        }
    }

    private void sendFailed(WebSocket ws, Throwable failure) {
        LOG.log(Level.FINE, LogLine.of("model.socket-send-failed"), failure);
        end(1006, "send failed: " + failure.getMessage());
        ws.abort();
    }

    @Override
    public boolean isOpen() {
        var ws = socket;
        return ws != null && !ended.get() && !closedByUs && !ws.isOutputClosed();
    }

    @Override
    public void close(String reason) {
        closedByUs = true;
        if (ended.get()) {
            var ws = socket;
            if (ws != null) {
                abortLater(ws);
            }
            return;
        }
        queue.add(new Close(truncate(reason)));
        pump();
    }

    /** The peer has {@value #CLOSE_WAIT_MILLIS} ms to answer our close before the TCP connection goes. */
    private static void abortLater(WebSocket ws) {
        CompletableFuture.delayedExecutor(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (!ws.isInputClosed()) {
                        ws.abort();
                    }
                });
    }

    private static String truncate(String reason) {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = reason.length();
        while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            end--;
        }
        return reason.substring(0, end);
    }
}
