package dev.voicebridge.testkit.ws;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One upgraded connection: its reader loop (RFC 6455 §5, §6.2, §7) on the connection's own thread,
 * and sends from any thread under one lock, each frame built whole in a reused buffer and written
 * with one write.
 */
final class WsSocket implements WsConnection {
    private static final System.Logger LOG = System.getLogger(WsSocket.class.getName());
    /** How long a closing connection waits for the client's close frame before dropping the socket. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private static final int INITIAL_BUFFER = 8 * 1024;
    /** Buffers grown past this by one big message go back to the initial size after it. */
    private static final int KEPT_BUFFER = 1024 * 1024;

    private final Socket socket;
    private final WsInput in;
    private final OutputStream out;
    private final WsListener listener;
    private final int maxMessage;
    private final ReentrantLock sending = new ReentrantLock();
    /** Guarded by {@link #sending}. */
    private byte[] frame = new byte[INITIAL_BUFFER];
    /** Set under {@link #sending} when our close frame went out; read by the reader loop. */
    private volatile boolean closeSent;

    private volatile boolean closeReceived;
    /** What {@link WsListener#onClose} will get: the first close frame's, either side's. */
    private volatile int closeCode = CloseCodes.ABNORMAL;

    private volatile String closeReason = "";
    // reader thread only
    private byte[] message = new byte[INITIAL_BUFFER];
    private int messageLength;
    private boolean fragmented;

    WsSocket(Socket socket, WsInput in, OutputStream out, WsListener listener, int maxMessage) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.listener = listener;
        this.maxMessage = maxMessage;
    }

    /** The connection's life on its reader thread: open, frames until closed, then onClose once. */
    void run() {
        try {
            listener.onOpen(this);
            while (!closeSent) {
                readFrame();
            }
            awaitClientClose();
        } catch (IOException e) {
            // the socket ended (EOF, reset, or dropped by the close timeout or the host): 1006 unless a close was seen
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "fake WebSocket listener failed; closing with 1011", e);
            close(CloseCodes.INTERNAL_ERROR, "server error");
        } finally {
            abort();
            try {
                listener.onClose(closeCode, closeReason);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "fake WebSocket listener's onClose failed", e);
            }
        }
    }

    /** Why a frame fails the connection (§7.1.7): the close code and a reason for the client. */
    private record Problem(int code, String why) {}

    private void readFrame() throws IOException {
        int b0 = in.readByte();
        int b1 = in.readByte();
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        long len = payloadLength(b1);
        if (len < 0) {
            close(CloseCodes.PROTOCOL_ERROR, "invalid payload length");
            return;
        }
        boolean masked = (b1 & 0x80) != 0;
        int key = masked ? in.readInt() : 0;
        var problem = problem(b0, masked, len);
        if (problem != null) {
            close(problem.code(), problem.why());
            in.skip(len); // to the next frame: the client's close frame comes after it
            return;
        }
        if (opcode >= Frames.CLOSE) {
            byte[] payload = new byte[(int) len];
            in.readFully(payload, 0, payload.length);
            Frames.unmask(payload, 0, payload.length, key);
            control(opcode, payload);
            return;
        }
        int n = (int) len;
        if (messageLength + n > message.length) {
            message = Arrays.copyOf(
                    message, (int) Math.min(maxMessage, Math.max(2L * message.length, messageLength + n)));
        }
        in.readFully(message, messageLength, n);
        Frames.unmask(message, messageLength, n, key);
        messageLength += n;
        fragmented = !fin;
        if (fin) {
            String text = Frames.text(message, 0, messageLength);
            messageLength = 0;
            if (message.length > KEPT_BUFFER) {
                message = new byte[INITIAL_BUFFER];
            }
            if (text == null) {
                close(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
                return;
            }
            listener.onText(text);
        }
    }

    private Problem problem(int b0, boolean masked, long len) {
        int opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            return new Problem(CloseCodes.PROTOCOL_ERROR, "reserved bits set, no extension negotiated");
        }
        if (!masked) {
            return new Problem(CloseCodes.PROTOCOL_ERROR, "client frames must be masked");
        }
        if (opcode >= Frames.CLOSE && opcode <= Frames.PONG) {
            return (b0 & 0x80) == 0 || len > Frames.MAX_CONTROL_PAYLOAD
                    ? new Problem(CloseCodes.PROTOCOL_ERROR, "control frames must be final and at most 125 bytes")
                    : null;
        }
        return switch (opcode) {
            case Frames.TEXT ->
                fragmented
                        ? new Problem(CloseCodes.PROTOCOL_ERROR, "a new message inside a fragmented one")
                        : size(len);
            case Frames.CONTINUATION ->
                fragmented ? size(len) : new Problem(CloseCodes.PROTOCOL_ERROR, "continuation without a message");
            case Frames.BINARY -> new Problem(CloseCodes.UNSUPPORTED_DATA, "binary messages are not accepted");
            default -> new Problem(CloseCodes.PROTOCOL_ERROR, "unknown opcode " + opcode);
        };
    }

    private Problem size(long len) {
        return len > maxMessage - messageLength
                ? new Problem(CloseCodes.MESSAGE_TOO_BIG, "message over " + maxMessage + " bytes")
                : null;
    }

    /** The 7-bit length, or the 16- or 64-bit one it announces (§5.2); -1 for a 64-bit one with the top bit set. */
    private long payloadLength(int b1) throws IOException {
        int len = b1 & 0x7F;
        return switch (len) {
            case 126 -> in.readByte() << 8 | in.readByte();
            case 127 -> in.readLong();
            default -> len;
        };
    }

    private void control(int opcode, byte[] payload) throws IOException {
        switch (opcode) {
            case Frames.PING -> send(Frames.PONG, payload, payload.length, false);
            case Frames.PONG -> {
                // unsolicited or late pong: nothing to do (§5.5.3)
            }
            case Frames.CLOSE -> clientClosed(payload);
            default -> close(CloseCodes.PROTOCOL_ERROR, "unknown opcode " + opcode);
        }
    }

    /** The client starts the closing handshake: echo its code (§5.5.1), then the socket ends. */
    private void clientClosed(byte[] payload) throws IOException {
        closeReceived = true; // even when its body is wrong: our close answers it, then the socket ends
        if (payload.length == 1) {
            close(CloseCodes.PROTOCOL_ERROR, "close frame with a one-byte body");
            return;
        }
        int code = payload.length == 0 ? CloseCodes.NO_STATUS : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        if (payload.length > 0 && !CloseCodes.sendable(code)) {
            close(CloseCodes.PROTOCOL_ERROR, "close code " + code + " may not be sent");
            return;
        }
        String reason = payload.length <= 2 ? "" : Frames.text(payload, 2, payload.length - 2);
        if (reason == null) {
            close(CloseCodes.INVALID_PAYLOAD, "close reason is not valid UTF-8");
            return;
        }
        sending.lock();
        try {
            if (!closeSent) {
                closeCode = code;
                closeReason = reason;
                closeSent = true;
                writeFrame(Frames.CLOSE, payload, Math.min(payload.length, 2));
            }
        } finally {
            sending.unlock();
        }
    }

    /** After our close frame: skip whatever the client still sends until its close frame or the timeout. */
    private void awaitClientClose() throws IOException {
        while (!closeReceived) {
            int b0 = in.readByte();
            int b1 = in.readByte();
            long len = payloadLength(b1);
            if (len < 0) {
                return;
            }
            in.skip(((b1 & 0x80) != 0 ? 4 : 0) + len);
            closeReceived = (b0 & 0x0F) == Frames.CLOSE;
        }
    }

    @Override
    public void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        send(Frames.TEXT, payload, payload.length, true);
    }

    private void send(int opcode, byte[] payload, int len, boolean mustBeOpen) throws IOException {
        sending.lock();
        try {
            if (closeSent) {
                if (mustBeOpen) {
                    throw new IOException("WebSocket is closed");
                }
                return;
            }
            writeFrame(opcode, payload, len);
        } finally {
            sending.unlock();
        }
    }

    /** Header and payload in one buffer, one write. Caller holds {@link #sending}. */
    private void writeFrame(int opcode, byte[] payload, int len) throws IOException {
        int size = Frames.headerSize(len) + len;
        if (size > frame.length) {
            frame = new byte[Math.max(size, 2 * frame.length)];
        }
        int h = Frames.header(frame, opcode, len);
        System.arraycopy(payload, 0, frame, h, len);
        out.write(frame, 0, size);
        if (frame.length > KEPT_BUFFER) {
            frame = new byte[INITIAL_BUFFER];
        }
    }

    @Override
    public void close(int code, String reason) {
        byte[] text = reasonBytes(reason);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        sending.lock();
        try {
            if (closeSent) {
                return;
            }
            closeSent = true;
            closeCode = code;
            closeReason = reason;
            writeFrame(Frames.CLOSE, payload, payload.length);
        } catch (IOException e) {
            abort(); // the client is gone already
            return;
        } finally {
            sending.unlock();
        }
        // §7.1.1: the server closes the TCP connection; a client that never answers is dropped
        CompletableFuture.delayedExecutor(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                .execute(this::abort);
    }

    /** At most the 123 bytes a close frame leaves for the reason, not cutting a character in two. */
    private static byte[] reasonBytes(String reason) {
        byte[] b = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (b.length <= Frames.MAX_CONTROL_PAYLOAD - 2) {
            return b;
        }
        int end = Frames.MAX_CONTROL_PAYLOAD - 2;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(b, end);
    }

    @Override
    public boolean isOpen() {
        return !closeSent && !closeReceived && !socket.isClosed();
    }

    /** Ends the socket now, without a close frame (the host's shutdown, the close timeout). */
    void abort() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
