package dev.voicebridge.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogLineTest {
    @Test
    void valuesThatWouldSplitTheLineAreQuotedAndNullsLeftOut() {
        assertThat(LogLine.of("webhook.invalid", "kind", "connect", "detail", "no \"id\"\nhere", "x", null, "e", ""))
                .isEqualTo("event=webhook.invalid kind=connect detail=\"no \\\"id\\\"\\nhere\" e=\"\"");
        assertThat(LogLine.of("a.b", "k", "v=w")).isEqualTo("event=a.b k=\"v=w\"");
    }

    @Test
    void aStepLineNamesTheCallRightAfterTheEvent() {
        assertThat(CallStep.ENDED.line("wa-abc", "reason", "CallerHangup", "by", null))
                .isEqualTo("event=call.ended call=wa-abc reason=CallerHangup");
        assertThat(CallStep.ofEvent("call.first-audio-out")).contains(CallStep.FIRST_AUDIO_OUT);
        assertThat(CallStep.ofEvent("call.connected")).isEmpty();
        assertThat(Arrays.stream(CallStep.values()).map(CallStep::event))
                .allMatch(e -> e.matches("call\\.[a-z-]+"))
                .doesNotHaveDuplicates();
    }
}
