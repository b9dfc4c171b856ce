package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.media.codec.OpusEncoderSettings;
import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.testkit.audio.Signals;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The caller's audio after the shared pacer stalled: one call on a real {@link Pacer} and
 * {@link CallMedia}, both on a manual clock, the caller sending a packet every 20 ms throughout.
 * However long the stall, the receive path must be back at its target depth within a bounded time
 * instead of carrying the stall as delay for the rest of the call.
 */
class ReceiveBacklogTest {
    private static final long TICK = Harness.TICK_NANOS;

    private final Harness h = new Harness();
    private final Pacer pacer = new Pacer("media-pacer-test", h.nanos::get, 5, 5);
    private final OpusEncoder encoder = OpusCodecs.encoder(new OpusEncoderSettings(20_000, true, 10, -1));
    private final short[] tone = Signals.tone(500, 0.3, 1000);
    private final byte[] opus = new byte[OpusEncoder.MAX_PACKET_BYTES];
    private int sent;

    @AfterEach
    void close() {
        encoder.close();
    }

    /** The caller's next 20 ms, as its phone sends it. */
    private void callerSends(CallMedia call) {
        int n = encoder.encode(Arrays.copyOfRange(tone, sent % 50 * 480, sent % 50 * 480 + 480), opus, 0);
        byte[] wire = new RtpPacket(
                        false, 111, (1000 + sent) & 0xFFFF, 90_000L + sent * 960L, 9, Arrays.copyOf(opus, n))
                .toBytes();
        sent++;
        call.onDatagram(wire, 0, wire.length);
    }

    /** 20 ms of real time: the caller sends, and the pacer runs whatever is due (unless stalled). */
    private void step(CallMedia call, boolean pacerRuns) {
        h.nanos.addAndGet(TICK);
        callerSends(call);
        if (pacerRuns) {
            pacer.runDue(h.nanos.get());
        }
    }

    @Test
    void afterAPacerStallTheDepthIsBackWithinTargetPlusOneFrameInUnder300Millis() {
        var sink = new Harness.CapturingSink();
        try (CallMedia call = h.call(MediaConfig.DEFAULTS, sink, new Harness.CapturingOutput(), 31)
                .start(pacer)) {
            for (int i = 0; i < 100; i++) {
                step(call, true);
            }
            MediaStats steady = call.stats();
            assertThat(steady.jitterBufferDepthMillis()).isLessThanOrEqualTo(steady.jitterBufferTargetMillis() + 20);

            // The pacer thread gets no CPU for 900 ms (or blocks, as the first SRTP protect did):
            // the caller's packets keep arriving and wait in the inbound queue.
            for (int i = 0; i < 45; i++) {
                step(call, false);
            }
            // It runs again: a catch-up burst of pacerMaxCatchUpTicks, the rest skipped.
            step(call, true);
            assertThat(pacer.skippedTicks()).isPositive();
            assertThat(call.stats().jitterBufferDepthMillis())
                    .as("backlog right after the stall")
                    .isGreaterThan(600);

            int millisToConverge = -1;
            for (int ms = 20; ms <= 2_000; ms += 20) {
                step(call, true);
                MediaStats s = call.stats();
                if (s.jitterBufferDepthMillis() <= s.jitterBufferTargetMillis() + 20) {
                    millisToConverge = ms;
                    break;
                }
            }
            System.out.printf(
                    "receive backlog: depth back within target + 20 ms %d ms after the stall; %s%n",
                    millisToConverge, call.stats());
            assertThat(millisToConverge)
                    .as("ms until depth <= target + 1 frame")
                    .isBetween(0, 300);
            // And it stays there: no slow drift back into delay.
            for (int i = 0; i < 200; i++) {
                step(call, true);
                MediaStats s = call.stats();
                assertThat(s.jitterBufferDepthMillis()).isLessThanOrEqualTo(s.jitterBufferTargetMillis() + 20);
            }
            MediaStats end = call.stats();
            // What was shed is the stall minus the catch-up, never more than was backlogged.
            assertThat(end.backlogDroppedMillis()).isBetween(600L, 900L);
            assertThat(end.droppedIn()).isZero();
            assertThat(end.jitterBufferTargetMillis()).isEqualTo(MediaConfig.DEFAULTS.jitterMinDepthMillis());
        }
    }
}
