package dev.voicebridge.worker.webrtc;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.sdp.SdpRejectedException;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.audio.Pcm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker's start-up self-call: one call through the whole engine — SDP offer and answer, an
 * ice4j agent, checks on the shared port, a DTLS handshake, SRTP both ways, the pipeline on the
 * pacer with Opus encode and decode — against a {@link WarmUpPeer} playing WhatsApp on loopback,
 * before the worker reports ready.
 *
 * <p>Why: the first call after start paid for loading and initialising everything it touches —
 * ice4j's first agent alone loads about 4,000 classes (its configuration library pulls in Kotlin
 * reflection), BouncyCastle's EC arithmetic runs interpreted, libopus is loaded — which made its
 * answer and handshake seconds late (docs/benchmarks.md, "Capacity", setup). After the
 * self-call the first real call finds all of it loaded and run.
 *
 * <p>The self-call's candidate is the peer's loopback socket, which the production candidate
 * policy refuses, so it runs under a guard of its own; nothing it does is counted in the
 * worker's ICE refusals. Its datagrams are counted by the port like any others.
 */
final class WarmUp {
    private static final Logger LOG = Logger.getLogger(WarmUp.class.getName());
    /** Decoded frames the self-call waits for: 400 ms of audio there and back. */
    static final int FRAMES = 20;

    /**
     * What the self-call reached.
     *
     * @param connected ICE and DTLS-SRTP came up
     * @param framesBack audio frames that went to the peer and came back decoded
     * @param failure why it stopped short, or null
     */
    public record Result(
            boolean connected, int framesBack, long iceMillis, long dtlsMillis, long totalMillis, String failure) {
        public boolean complete() {
            return connected && framesBack >= FRAMES && failure == null;
        }

        @Override
        public String toString() {
            return complete()
                    ? "ICE " + iceMillis + " ms, DTLS " + dtlsMillis + " ms, " + framesBack + " frames there and back, "
                            + totalMillis + " ms in all"
                    : "incomplete after " + totalMillis + " ms (" + failure + ")";
        }
    }

    private WarmUp() {}

    static Result run(WebRtcHost engine, Duration bound) {
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        var sink = new CountingSink();
        var listener = new Listener();
        CallTransport session = null;
        String failure = null;
        TransportStats stats = null;
        try (var peer = new WarmUpPeer(new InetSocketAddress(peerAddress(engine), 0), engine.dtls())) {
            session = engine.createWarmUpCall(peer.offer(), sink, listener);
            session.start();
            listener.connected.get(remaining(deadline), TimeUnit.NANOSECONDS);
            session.markAccepted();
            session.agentOutput().enqueue("warm-up", tone());
            if (!sink.frames.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                failure = "only " + sink.count() + " frames came back";
            }
            stats = session.stats().get(remaining(deadline), TimeUnit.NANOSECONDS);
            session.hangup(EndReason.CallerHangup);
            listener.ended.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            failure = "timed out";
        } catch (ExecutionException | RuntimeException | IOException | SdpRejectedException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } finally {
            if (session != null && !session.isEnded()) {
                session.hangup(EndReason.CallerHangup);
            }
        }
        long total = Duration.ofNanos(System.nanoTime() - start).toMillis();
        var result = new Result(
                listener.connected.isDone() && !listener.connected.isCompletedExceptionally(),
                sink.count(),
                stats == null ? -1 : stats.iceMillis(),
                stats == null ? -1 : stats.dtlsMillis(),
                total,
                failure);
        LOG.log(
                result.complete() ? Level.INFO : Level.WARNING,
                () -> "start-up self-call through the media engine: " + result
                        + (result.complete() ? "" : "; the first calls may set up slowly"));
        return result;
    }

    /**
     * The peer listens where the shared port can reach it without leaving the machine: on the
     * port's own address when it is bound to one, else on loopback.
     */
    private static InetAddress peerAddress(WebRtcHost engine) {
        InetAddress bound = engine.port().localAddress().getAddress();
        return bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound;
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    /** 400 ms of a 440 Hz tone for the agent's side to send. */
    private static short[] tone() {
        var pcm = new short[Pcm.SAMPLE_RATE * 2 / 5];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / Pcm.SAMPLE_RATE));
        }
        return pcm;
    }

    /** Counts decoded (not concealed) frames of the caller's side: they made the round trip. */
    private static final class CountingSink implements CallerAudioSink {
        final CountDownLatch frames = new CountDownLatch(FRAMES);

        @Override
        public void onCallerAudio(short[] frame, boolean concealed) {
            if (!concealed) {
                frames.countDown();
            }
        }

        @Override
        public void onDtmf(char digit) {}

        int count() {
            return (int) (FRAMES - frames.getCount());
        }
    }

    private static final class Listener implements TransportListener {
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        final CompletableFuture<EndReason> ended = new CompletableFuture<>();

        @Override
        public void onConnected(CallTransport session) {
            connected.complete(null);
        }

        @Override
        public void onEnded(CallTransport session, EndReason reason, String detail) {
            connected.completeExceptionally(new IllegalStateException(reason + ": " + detail));
            ended.complete(reason);
        }
    }
}
