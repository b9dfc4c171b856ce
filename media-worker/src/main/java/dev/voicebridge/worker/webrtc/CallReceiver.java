package dev.voicebridge.worker.webrtc;

import dev.voicebridge.media.srtp.PacketBuffer;
import dev.voicebridge.media.srtp.SrtpSession;
import dev.voicebridge.worker.pipeline.MediaHandler;
import dev.voicebridge.worker.transport.PacketKind;
import dev.voicebridge.worker.transport.ReceiveBudget;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One call's receive path, from the shared port's receive loop to the {@link MediaHandler}. SRTP
 * comes off on the receive thread itself (about a microsecond) while the call is connected, the
 * handler takes plaintext on any thread and the call's {@link ReceiveBudget} allows: waking the
 * owner for every datagram cost more than the work. DTLS records, and what exceeds the budget (a
 * flood from the call's address), queue for the owner, whose media queue is bounded.
 */
final class CallReceiver {
    /**
     * RTP/RTCP datagrams per 20 ms the receive thread unprotects itself for one call (normal media
     * is one or two); the rest queue for the owner (see {@link ReceiveBudget}).
     */
    static final int RECEIVE_THREAD_BUDGET = 8;

    private final MediaHandler media;
    private final CallMailbox owner;
    private final DtlsHandshake dtls;
    /** Runs once, on the receiving thread, at the first RTP packet that unprotects. */
    private final Runnable firstCallerMedia;

    private final LongAdder rtpReceived = new LongAdder();
    private final LongAdder rtcpReceived = new LongAdder();
    private final LongAdder ownerMediaTasks = new LongAdder();
    private final AtomicBoolean callerMediaSeen = new AtomicBoolean();

    // Receive-thread state (the shared port's loop is the only caller of onMedia).
    private final ReceiveBudget budget = new ReceiveBudget(RECEIVE_THREAD_BUDGET, 20_000_000L);
    private final PacketBuffer receiveThreadBuffer = new PacketBuffer(1500);
    /** Owner-thread state: for the datagrams the owner unprotects. */
    private final PacketBuffer ownerBuffer = new PacketBuffer(1500);

    /** Set by the owner once DTLS-SRTP is up, null again when the call ends. */
    private volatile SrtpSession srtp;

    CallReceiver(MediaHandler media, CallMailbox owner, DtlsHandshake dtls, Runnable firstCallerMedia) {
        this.media = media;
        this.owner = owner;
        this.dtls = dtls;
        this.firstCallerMedia = firstCallerMedia;
    }

    SrtpSession srtp() {
        return srtp;
    }

    /** The call's SRTP keys (null: none, the call ended). */
    void srtp(SrtpSession session) {
        srtp = session;
    }

    /** A media datagram from the call's peer, on the receive thread. */
    void onMedia(PacketKind kind, byte[] data) {
        if (kind != PacketKind.DTLS
                && srtp != null
                && media.receivesOnAnyThread()
                && budget.tryTake(System.nanoTime())) {
            receive(kind, data, receiveThreadBuffer);
            return;
        }
        ownerMediaTasks.increment();
        owner.offerMedia(() -> {
            if (kind == PacketKind.DTLS) {
                dtls.offer(data);
            } else {
                receive(kind, data, ownerBuffer);
            }
        });
    }

    /** Unprotects RTP or RTCP into {@code buffer} (the calling thread's own) and hands it on. */
    private void receive(PacketKind kind, byte[] data, PacketBuffer buffer) {
        SrtpSession s = srtp;
        if (s == null) {
            return;
        }
        if (kind == PacketKind.RTP && s.unprotectRtp(buffer.set(data, 0, data.length))) {
            rtpReceived.increment();
            if (!callerMediaSeen.get() && callerMediaSeen.compareAndSet(false, true)) {
                firstCallerMedia.run();
            }
            media.onRtp(buffer.getBuffer(), buffer.getOffset(), buffer.getLength());
        } else if (kind == PacketKind.RTCP && s.unprotectRtcp(buffer.set(data, 0, data.length))) {
            rtcpReceived.increment();
            media.onRtcp(buffer.getBuffer(), buffer.getOffset(), buffer.getLength());
        }
    }

    long rtpReceived() {
        return rtpReceived.sum();
    }

    long rtcpReceived() {
        return rtcpReceived.sum();
    }

    /** Datagrams handed to the owner's media queue (each one a wake-up of its virtual thread). */
    long ownerMediaTasks() {
        return ownerMediaTasks.sum();
    }
}
