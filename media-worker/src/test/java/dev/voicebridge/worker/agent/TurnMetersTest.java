package dev.voicebridge.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.worker.agent.AgentObserver.AgentTurn;
import dev.voicebridge.worker.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Turns reach the observer once per response, with the latency when the response answered speech. */
class TurnMetersTest {
    static final long MS = 1_000_000L;
    final List<AgentTurn> turns = new ArrayList<>();
    int bargeIns;
    final TurnMeters meters = new TurnMeters(new AgentObserver() {
        @Override
        public void turn(AgentTurn turn) {
            turns.add(turn);
        }

        @Override
        public void interrupted() {
            bargeIns++;
        }
    });

    @Test
    void eachBargeInIsCountedAndReported() {
        meters.interrupted();
        meters.interrupted();
        assertThat(meters.interruptions()).isEqualTo(2);
        assertThat(bargeIns).isEqualTo(2);
    }

    @Test
    void aResponseDoneBeforeItsAudioPlaysWaitsForTheLatency() {
        meters.speechStopped(1_000 * MS);
        meters.responseCreated(1_100 * MS);
        meters.responseDone("completed", new TokenUsage(10, 20, 0, 0, 0, 0, 0, 0, 0), 1_300 * MS);
        assertThat(turns).isEmpty();

        assertThat(meters.itemStarted(1_450 * MS)).isEqualTo(450);
        assertThat(turns).singleElement().satisfies(t -> {
            assertThat(t.latencyMillis()).isEqualTo(450);
            assertThat(t.startNanos()).isEqualTo(1_100 * MS);
            assertThat(t.endNanos()).isEqualTo(1_300 * MS);
            assertThat(t.usage().outputTokens()).isEqualTo(20);
        });
        assertThat(meters.lastLatencyMillis()).isEqualTo(450);
    }

    @Test
    void audioStartedBeforeDoneReportsTheTurnAtDone() {
        meters.speechStopped(1_000 * MS);
        meters.responseCreated(1_100 * MS);
        meters.itemStarted(1_250 * MS);
        assertThat(turns).isEmpty();
        meters.responseDone("completed", TokenUsage.ZERO, 3_000 * MS);
        assertThat(turns).singleElement().extracting(AgentTurn::latencyMillis).isEqualTo(250L);
    }

    @Test
    void responsesWithoutSpeechOrAudioAreStillOneTurnEach() {
        // The greeting: no caller turn before it.
        meters.responseCreated(100 * MS);
        meters.responseDone("completed", TokenUsage.ZERO, 200 * MS);
        meters.itemStarted(260 * MS);
        // A tool call's response plays nothing; the next response reports it.
        meters.responseCreated(1_000 * MS);
        meters.responseDone("completed", TokenUsage.ZERO, 1_100 * MS);
        meters.responseCreated(2_000 * MS);
        meters.responseDone("cancelled", TokenUsage.ZERO, 2_100 * MS);
        // The call ends before the last one played.
        meters.flush();
        meters.flush();

        assertThat(turns).extracting(AgentTurn::latencyMillis).containsExactly(-1L, -1L, -1L);
        assertThat(turns).extracting(AgentTurn::status).containsExactly("completed", "completed", "cancelled");
        assertThat(meters.responses()).isEqualTo(3);
    }
}
