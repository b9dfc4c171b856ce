package dev.voicebridge.worker.webrtc;

import dev.voicebridge.api.log.LogLine;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A call's owner: one virtual thread that runs the call's tasks one at a time, from two queues.
 *
 * <ul>
 *   <li><b>Control</b> ({@link #execute}): the transport's own events (ICE and DTLS outcomes,
 *       timers), hang-ups and status snapshots. Never refused while the call runs, and always run
 *       before any queued media, so a hang-up takes effect after at most the one task in progress.
 *       Unbounded on purpose: its producers are few per call and none is driven by what arrives on
 *       the wire.
 *   <li><b>Media</b> ({@link #offerMedia}): datagrams the shared port routed to the call. Bounded;
 *       what does not fit is dropped and counted ({@link #mediaDrops()}), so a flood costs media
 *       only, never a control message.
 * </ul>
 *
 * <p>After {@link #close()} both queues refuse new work silently (late datagrams and timers are
 * expected once a call ended); control tasks queued before it still run, queued media does not.
 */
final class CallMailbox implements Executor {
    private static final Logger LOG = Logger.getLogger(CallMailbox.class.getName());

    private final String name;
    private final ConcurrentLinkedQueue<Runnable> control = new ConcurrentLinkedQueue<>();
    private final ArrayBlockingQueue<Runnable> media;
    /** One permit per queued task of either queue, plus one for {@link #close()}. */
    private final Semaphore pending = new Semaphore(0);

    private final LongAdder mediaDrops = new LongAdder();
    /** Guards {@link #closed} against a control task slipping in after the loop's last look. */
    private final Object closing = new Object();

    private volatile boolean closed;

    CallMailbox(String name, int mediaCapacity) {
        this.name = name;
        this.media = new ArrayBlockingQueue<>(mediaCapacity);
        Thread.ofVirtual().name(name).start(this::run);
    }

    /** Queues a control task; ignored once the mailbox is closed. */
    @Override
    public void execute(Runnable task) {
        offerControl(task);
    }

    /** Queues a control task; false (and never run) once the mailbox is closed. */
    boolean offerControl(Runnable task) {
        synchronized (closing) {
            if (closed) {
                return false;
            }
            control.add(task);
        }
        pending.release();
        return true;
    }

    /** Queues one datagram's work; false when closed or full (then counted as a drop). */
    boolean offerMedia(Runnable task) {
        if (closed) {
            return false;
        }
        if (!media.offer(task)) {
            mediaDrops.increment();
            return false;
        }
        pending.release();
        return true;
    }

    long mediaDrops() {
        return mediaDrops.sum();
    }

    boolean isClosed() {
        return closed;
    }

    /** Stops taking work; the owner finishes the control tasks already queued, then exits. */
    void close() {
        synchronized (closing) {
            closed = true;
        }
        pending.release();
    }

    private void run() {
        while (true) {
            pending.acquireUninterruptibly();
            // Read before polling: once closed is seen, every control task it admitted is visible.
            boolean wasClosed = closed;
            Runnable task = control.poll();
            if (task == null && !wasClosed) {
                task = media.poll();
            }
            if (task == null) {
                if (wasClosed) {
                    media.clear();
                    return;
                }
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // Our own bug: keep the call's other work going, as a pool would with a new thread.
                LOG.log(Level.SEVERE, LogLine.of("call.task-failed", "mailbox", name), e);
            }
        }
    }
}
