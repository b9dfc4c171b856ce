package dev.voicebridge.worker.modelsocket;

import dev.voicebridge.api.log.LogLine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open model socket: RFC 6455 framing over a connected (and, for {@code wss}, TLS) socket that
 * {@link WsHandshake} upgraded. What it does:
 *
 * <ul>
 *   <li><b>Sends</b> text frames, masked (section 5.3), whole (no fragmentation). The frame is built
 *       on the sender's thread: the text's UTF-8 (the JDK's intrinsic for ASCII, which is what the
 *       model events are), the header and the mask applied eight bytes at a time, into one array.
 *       Frames queue in order; whichever sender finds no write in progress writes everything
 *       queued, with one flush (one system call, one TLS record) for what it found, so a send costs
 *       no thread hand-off. A peer that stops reading blocks that writer at most until the watchdog
 *       notices ({@value #STALL_MILLIS} ms) or the queue passes {@value #MAX_QUEUED_BYTES} bytes
 *       (about 16 s of caller audio); either gives the socket up, reported as 1006, and the session
 *       owner reconnects as after any other loss.
 *   <li><b>Receives</b> on a virtual thread of its own: frames read in place from a buffered stream,
 *       fragments joined (section 5.4) up to {@code maxMessageBytes}; a larger message is reported
 *       as 1009 "message too big" (section 7.4.1) and closed on the wire with 1009. A whole ASCII
 *       message is handed to the listener as a view of the receive buffer, without a copy; others
 *       as a String decoded strictly;
 *       invalid UTF-8 fails the connection with 1007 (section 8.1). Pings are answered with pongs
 *       (section 5.5.2), pongs and binary messages ignored; a masked server frame or an unknown
 *       opcode fails the connection with 1002 (sections 5.1, 5.2).
 *   <li><b>The end</b> is reported once — a remote close with its code (answered with the same
 *       code, section 5.5.1), a lost connection or protocol error as 1006 (never sent on the wire,
 *       section 7.4.1) — and never for a close we asked for. Our close sends 1000 after whatever
 *       was queued before it; a peer that does not answer within {@value #CLOSE_WAIT_MILLIS} ms has
 *       its TCP connection closed (section 7.1.1 lets the client close it).
 * </ul>
 */
final class WsChannel implements ModelSocket.Channel {
    private static final Logger LOG = Logger.getLogger(WsChannel.class.getName());
    static final int MAX_QUEUED_BYTES = 1 << 20;
    static final long CLOSE_WAIT_MILLIS = 5000;
    /** A write blocked this long means the peer stopped reading. */
    static final long STALL_MILLIS = 10_000;
    /** Control frames carry at most 125 bytes (section 5.5): 2 of code, 123 of reason. */
    private static final int MAX_REASON_BYTES = 123;

    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    static final int NORMAL = 1000;
    static final int PROTOCOL_ERROR = 1002;
    static final int ABNORMAL = 1006;
    static final int INVALID_DATA = 1007;
    static final int TOO_BIG = 1009;

    /** One daemon thread for the whole worker: it closes sockets whose writer has been blocked too long. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("model-socket-watchdog").daemon().factory());

    private static final Set<WsChannel> OPEN = ConcurrentHashMap.newKeySet();

    static {
        WATCHDOG.scheduleWithFixedDelay(() -> checkStalls(System.nanoTime()), 1, 1, TimeUnit.SECONDS);
    }

    private final Socket socket;
    /** The TCP connection under {@link #socket} (the same socket without TLS): closing it unblocks a writer. */
    private final Socket tcp;

    private final InputStream in;
    private final OutputStream out;
    private final ModelSocket.Listener listener;
    private final int maxMessageBytes;
    private final SecureRandom masks;

    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean writing = new AtomicBoolean();
    /** A close frame went out (written by the draining thread only). */
    private boolean closeWritten;
    /** When the write in progress started (nanoTime), 0 when none is. */
    private volatile long writeStarted;

    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean closedByUs;
    /** We sent a close frame (ours or the answer to the peer's): nothing may follow it. */
    private volatile boolean closeSent;

    private static final int INITIAL_BUFFER_BYTES = 16 * 1024;
    /** Larger than this, the receive buffer is dropped after its message. */
    private static final int KEPT_BUFFER_BYTES = 256 * 1024;

    /** The listener's view of an ASCII message (reader thread only). */
    private final AsciiView view = new AsciiView();

    /** The message being received; reused for every message (reader thread only). */
    private byte[] message = new byte[INITIAL_BUFFER_BYTES];

    WsChannel(Socket socket, Socket tcp, InputStream in, ModelSocket.Listener listener, int maxMessageBytes)
            throws IOException {
        this.socket = socket;
        this.tcp = tcp;
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        this.listener = listener;
        this.maxMessageBytes = maxMessageBytes;
        try {
            // Section 10.3: masking keys from a strong source of entropy. DRBG (NIST SP 800-90A)
            // draws no system call per key, unlike the platform's default NativePRNG.
            this.masks = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no DRBG SecureRandom in this JDK", e);
        }
    }

    /** Starts reading; call once, after the upgrade. */
    void start(String name) {
        OPEN.add(this);
        Thread.ofVirtual().name(name).start(this::readLoop);
    }

    @Override
    public void send(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        send(utf8, utf8.length);
    }

    @Override
    public void send(byte[] utf8, int length) {
        if (ended.get() || closedByUs) {
            return;
        }
        if (enqueue(frame(TEXT, utf8, length)) > MAX_QUEUED_BYTES) {
            stalled("over " + MAX_QUEUED_BYTES + " bytes queued");
            return;
        }
        drain();
    }

    /** Queues a frame; returns the bytes queued now (the writer subtracts what it takes). */
    private long enqueue(byte[] frame) {
        long queued = queuedBytes.addAndGet(frame.length);
        queue.add(frame);
        return queued;
    }

    @Override
    public boolean isOpen() {
        return !ended.get() && !closedByUs && !socket.isClosed();
    }

    @Override
    public void close(String reason) {
        if (closedByUs) {
            return;
        }
        closedByUs = true;
        if (ended.get()) {
            closeQuietly();
            return;
        }
        sendClose(NORMAL, reason);
        WATCHDOG.schedule(this::closeQuietly, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Queues a close frame (at most once: nothing may follow it) and writes what is queued. */
    private void sendClose(int code, String reason) {
        byte[] r = truncate(reason);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        synchronized (this) {
            if (closeSent) {
                return;
            }
            closeSent = true;
            enqueue(frame(CLOSE, payload, payload.length));
        }
        drain();
    }

    /**
     * Writes whatever is queued, in order, if no other thread is writing; flushes once for all of
     * it. The loop re-checks the queue after releasing the flag, so a frame queued meanwhile by a
     * thread that found the flag taken is never left behind.
     */
    private void drain() {
        while (!queue.isEmpty() && writing.compareAndSet(false, true)) {
            try {
                byte[] frame;
                boolean wrote = false;
                writeStarted = System.nanoTime();
                while ((frame = queue.poll()) != null) {
                    queuedBytes.addAndGet(-frame.length);
                    if (closeWritten) {
                        continue; // a text that raced our close: nothing may follow a close frame
                    }
                    out.write(frame);
                    wrote = true;
                    closeWritten = (frame[0] & 0x0f) == CLOSE;
                }
                if (wrote) {
                    out.flush();
                }
            } catch (IOException e) {
                queue.clear();
                if (!closedByUs) {
                    LOG.log(Level.FINE, LogLine.of("model.socket-send-failed"), e);
                }
                end(ABNORMAL, "send failed: " + e.getMessage());
                closeQuietly();
                return;
            } finally {
                writeStarted = 0;
                writing.set(false);
            }
        }
    }

    private void stalled(String why) {
        if (ended.get()) {
            closeQuietly();
            return;
        }
        LOG.warning(LogLine.of("model.socket-stalled", "why", why));
        end(ABNORMAL, "the peer stopped reading: " + why);
        closeQuietly();
    }

    /** Gives up every socket whose write in progress started over {@value #STALL_MILLIS} ms before {@code now}. */
    static void checkStalls(long now) {
        for (WsChannel c : OPEN) {
            long started = c.writeStarted;
            if (started != 0 && now - started > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                c.stalled("a write blocked for over " + STALL_MILLIS + " ms");
            }
        }
    }

    /** A client frame: FIN, the opcode, the mask bit and key, the payload masked (sections 5.2, 5.3). */
    private byte[] frame(int opcode, byte[] payload, int length) {
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        byte[] frame = new byte[header + 4 + length];
        frame[0] = (byte) (0x80 | opcode);
        if (length < 126) {
            frame[1] = (byte) (0x80 | length);
        } else if (length < 65536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (length >> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            ByteBuffer.wrap(frame, 2, 8).putLong(length);
        }
        int key = masks.nextInt();
        ByteBuffer.wrap(frame, header, 4).order(ByteOrder.BIG_ENDIAN).putInt(key);
        mask(payload, length, key, frame, header + 4);
        return frame;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** {@code payload[0..length)} XOR the four key bytes repeated (section 5.3) into {@code frame} at {@code at}, eight at a time. */
    static void mask(byte[] payload, int length, int key, byte[] frame, int at) {
        long k = ((long) key << 32) | (key & 0xffffffffL);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            LONGS.set(frame, at + i, (long) LONGS.get(payload, i) ^ k);
        }
        for (; i < length; i++) {
            frame[at + i] = (byte) (payload[i] ^ (key >>> (24 - 8 * (i & 3))));
        }
    }

    private void readLoop() {
        try {
            int messageLength = 0;
            boolean inMessage = false;
            boolean binaryMessage = false;
            while (!ended.get()) {
                int b0 = readByte();
                int b1 = readByte();
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0f;
                if ((b0 & 0x70) != 0 || (b1 & 0x80) != 0) {
                    // No extension was negotiated (RSV bits), and servers never mask (section 5.1).
                    protocolError((b1 & 0x80) != 0 ? "masked frame from the server" : "reserved bits set");
                    return;
                }
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = (readByte() << 8) | readByte();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | readByte();
                    }
                    if (length < 0) {
                        protocolError("negative payload length");
                        return;
                    }
                }
                if (opcode >= 0x8) {
                    if (!fin || length > 125) {
                        protocolError("fragmented or oversized control frame");
                        return;
                    }
                    if (!control(opcode, readFully((int) length))) {
                        return;
                    }
                    continue;
                }
                if (opcode == CONTINUATION ? !inMessage : inMessage || (opcode != TEXT && opcode != BINARY)) {
                    protocolError("unexpected data frame, opcode " + opcode);
                    return;
                }
                if (opcode != CONTINUATION) {
                    binaryMessage = opcode == BINARY;
                }
                inMessage = !fin;
                if (binaryMessage) {
                    skip(length); // nothing we serve sends binary; its content is ignored
                    continue;
                }
                if (messageLength + length > maxMessageBytes) {
                    tooBig(); // ends the socket; the rest of the message is never read
                    return;
                }
                int n = (int) length;
                if (message.length < messageLength + n) {
                    message = Arrays.copyOf(message, Math.max(messageLength + n, 2 * message.length));
                }
                readInto(message, messageLength, n);
                messageLength += n;
                if (fin) {
                    int whole = messageLength;
                    messageLength = 0;
                    if (!deliver(whole)) {
                        failWith(INVALID_DATA, "invalid UTF-8 in a text message");
                        return;
                    }
                    if (message.length > KEPT_BUFFER_BYTES) {
                        message = new byte[INITIAL_BUFFER_BYTES]; // one large event must not pin its size for the call
                    }
                }
            }
        } catch (IOException e) {
            if (!closedByUs) {
                LOG.log(Level.FINE, LogLine.of("model.socket-error"), e);
            }
            end(ABNORMAL, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            closeQuietly();
        }
    }

    /** Handles a control frame; false when the connection is over. */
    private boolean control(int opcode, byte[] payload) {
        switch (opcode) {
            case PING -> {
                if (!closeSent) {
                    enqueue(frame(PONG, payload, payload.length));
                    drain();
                }
                return true;
            }
            case PONG -> {
                return true;
            }
            case CLOSE -> {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                String reason =
                        payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                // Answer with the same code (section 5.5.1) when it may go on the wire (section 7.4).
                sendClose(sendable(code) ? code : NORMAL, "");
                end(code, reason);
                closeQuietly();
                return false;
            }
            default -> {
                protocolError("unknown control opcode " + opcode);
                return false;
            }
        }
    }

    /** Codes an endpoint may send (RFC 6455 section 7.4.1, and the registered 1012–1014). */
    static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private void tooBig() {
        String reason = "message over " + maxMessageBytes + " bytes";
        failWith(TOO_BIG, reason);
    }

    private void protocolError(String why) {
        failWith(PROTOCOL_ERROR, why);
    }

    /** Fails the connection (section 7.1.7): our close with {@code code}, reported as that code. */
    private void failWith(int code, String reason) {
        sendClose(code, reason);
        end(code, reason);
        WATCHDOG.schedule(this::closeQuietly, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void end(int code, String reason) {
        if (ended.compareAndSet(false, true)) {
            OPEN.remove(this);
            if (!closedByUs) {
                listener.onClosed(code, reason);
            }
        }
    }

    private void closeQuietly() {
        OPEN.remove(this);
        try {
            tcp.close(); // unblocks a blocked writer or reader; TLS's close_notify could itself block
        } catch (IOException ignored) {
            // already closed
        }
    }

    /**
     * Hands the received message to the listener: ASCII (every model event we receive, base64
     * included) as a view of the receive buffer, without a copy; anything else decoded strictly
     * into a String. False when it is not UTF-8.
     */
    private boolean deliver(int length) {
        for (int i = 0; i < length; i++) {
            if (message[i] < 0) {
                String text = utf8(message, length);
                if (text == null) {
                    return false;
                }
                listener.onText(text);
                return true;
            }
        }
        listener.onText(view.of(message, length));
        return true;
    }

    /** Strict UTF-8; null when the bytes are not. */
    static String utf8(byte[] bytes, int length) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * An ASCII message in the receive buffer as characters, for the length of one listener call.
     * What it gives away ({@link #toString}, {@link #subSequence}) is a copy.
     */
    static final class AsciiView implements CharSequence {
        private byte[] bytes;
        private int length;

        /** This view, now of {@code bytes[0..length)}. */
        AsciiView of(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return (char) bytes[Objects.checkIndex(index, length)];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            Objects.checkFromToIndex(start, end, length);
            return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection closed without a close frame");
        }
        return b;
    }

    private byte[] readFully(int n) throws IOException {
        byte[] b = new byte[n];
        readInto(b, 0, n);
        return b;
    }

    private void readInto(byte[] b, int off, int n) throws IOException {
        int read = in.readNBytes(b, off, n);
        if (read < n) {
            throw new EOFException("the connection closed inside a frame");
        }
    }

    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                readByte();
                s = 1;
            }
            left -= s;
        }
    }

    private static byte[] truncate(String reason) {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_REASON_BYTES) {
            return b;
        }
        // Cut at a character boundary: never inside a UTF-8 sequence.
        var chars = CharBuffer.wrap(reason);
        var out = ByteBuffer.allocate(MAX_REASON_BYTES);
        StandardCharsets.UTF_8.newEncoder().encode(chars, out, true);
        return Arrays.copyOf(out.array(), out.position());
    }
}
