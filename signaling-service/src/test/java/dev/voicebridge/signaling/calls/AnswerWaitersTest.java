package dev.voicebridge.signaling.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.HangupRequest;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class AnswerWaitersTest {

    static VoiceCall call(String name) {
        var call = new VoiceCall(new VoiceCallSpec());
        call.setMetadata(new ObjectMetaBuilder().withName(name).build());
        return call;
    }

    static VoiceCall answered(String name, String sdp) {
        var call = call(name);
        WorkerAnswers.answer(call, sdp);
        return call;
    }

    @Test
    void theAnswerOfAnEarlierPlacementIsNoAnswer() {
        var moved = answered("m", "v=0\r\nold\r\n");
        moved.getStatus().getAssignment().setAttempt(2);
        moved.getStatus().setPhase(CallPhase.Assigned);
        assertThat(SetupOutcome.of(moved)).isInstanceOf(SetupOutcome.Pending.class);
        moved.getStatus().getMedia().setAttempt(2);
        assertThat(SetupOutcome.of(moved)).isInstanceOf(SetupOutcome.Answered.class);
    }

    @Test
    void outcomesFollowTheStatus() {
        assertThat(SetupOutcome.of(call("a"))).isInstanceOf(SetupOutcome.Pending.class);
        assertThat(SetupOutcome.of(answered("a", "v=0"))).isEqualTo(new SetupOutcome.Answered("v=0"));

        var full = call("a");
        var end = new CallEnd();
        end.setReason(EndReason.NoCapacity);
        full.statusOrNew().setEnd(end);
        full.getStatus().setPhase(CallPhase.Failed);
        assertThat(SetupOutcome.of(full)).isInstanceOf(SetupOutcome.NoCapacity.class);

        var failedWithoutReason = call("a");
        failedWithoutReason.statusOrNew().setPhase(CallPhase.Failed);
        assertThat(SetupOutcome.of(failedWithoutReason)).isInstanceOf(SetupOutcome.Ended.class);

        var hungUp = call("a");
        var hangup = new HangupRequest();
        hangup.setReason(EndReason.ApiHangup);
        hungUp.getSpec().setHangup(hangup);
        assertThat(SetupOutcome.of(hungUp))
                .isEqualTo(new SetupOutcome.Ended(EndReason.ApiHangup, "hang-up requested before the answer"));

        var answeredThenEnded = answered("a", "v=0");
        answeredThenEnded.getStatus().setPhase(CallPhase.Ended);
        var ended = new CallEnd();
        ended.setReason(EndReason.CallerHangup);
        answeredThenEnded.getStatus().setEnd(ended);
        assertThat(SetupOutcome.of(answeredThenEnded)).isInstanceOf(SetupOutcome.Ended.class);
    }

    @Test
    void anAnswerOfferedByTheInformerWakesEveryWaiterOfThatNameOnly() throws Exception {
        var waiters = new AnswerWaiters();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "waiter-test"));
        try {
            List<CompletableFuture<SetupOutcome>> sameName = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sameName.add(
                        CompletableFuture.supplyAsync(() -> await(waiters, "wa-one", Duration.ofSeconds(10)), pool));
            }
            var other = CompletableFuture.supplyAsync(() -> await(waiters, "wa-two", Duration.ofMillis(300)), pool);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> waiters.pendingCount() == 2);
            waiters.offer(call("wa-one")); // still Pending: wakes nobody
            waiters.offer(answered("wa-one", "v=0\r\n"));
            for (var f : sameName) {
                assertThat(f.get()).isEqualTo(new SetupOutcome.Answered("v=0\r\n"));
            }
            assertThat(other.get()).isInstanceOf(SetupOutcome.Pending.class);
            assertThat(waiters.pendingCount()).isZero();
            assertThat(waiters.peakPending()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAnswerAlreadyInTheCacheReturnsAtOnce() throws Exception {
        var waiters = new AnswerWaiters();
        var outcome = waiters.await("wa-x", Duration.ofSeconds(30), name -> answered(name, "v=0"));
        assertThat(outcome).isEqualTo(new SetupOutcome.Answered("v=0"));
        assertThat(waiters.pendingCount()).isZero();
    }

    static SetupOutcome await(AnswerWaiters waiters, String name, Duration timeout) {
        try {
            return waiters.await(name, timeout, n -> null);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
