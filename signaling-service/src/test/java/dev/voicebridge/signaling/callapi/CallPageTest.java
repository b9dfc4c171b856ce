package dev.voicebridge.signaling.callapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallPageTest {

    static VoiceCall call(String name, String createdAt) {
        var spec = new VoiceCallSpec();
        spec.setCallId("id-" + name);
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withCreationTimestamp(createdAt)
                .build());
        return call;
    }

    static List<String> names(CallPage.Body page) {
        return page.items().stream().map(CallView::name).toList();
    }

    @Test
    void pagesWalkNewestFirstThenByNameWithoutRepeatsOrGapsWhileCallsComeAndGo() {
        List<VoiceCall> calls = new ArrayList<>(List.of(
                call("b", "2026-01-01T10:00:00Z"),
                call("a", "2026-01-01T10:00:00Z"),
                call("c", "2026-01-01T09:00:00Z"),
                call("d", "2026-01-01T11:00:00Z"),
                call("e", null)));
        var first = CallPage.page(calls, c -> true, "2", null);
        assertThat(names(first)).containsExactly("d", "a");
        assertThat(first.continueToken()).isNotNull();

        // A newer call and the removal of a listed one change nothing for the pages still to come.
        calls.add(call("z", "2026-01-01T12:00:00Z"));
        calls.removeIf(c -> c.getMetadata().getName().equals("a"));
        var second = CallPage.page(calls, c -> true, "2", first.continueToken());
        assertThat(names(second)).containsExactly("b", "c");
        var third = CallPage.page(calls, c -> true, "2", second.continueToken());
        assertThat(names(third)).containsExactly("e");
        assertThat(third.continueToken()).isNull();
    }

    @Test
    void filtersApplyBeforeTheLimitAndTheDefaultAndMaximumAreBounded() {
        List<VoiceCall> calls = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            calls.add(call("call-%03d".formatted(i), "2026-01-01T10:00:00Z"));
        }
        assertThat(CallPage.page(calls, c -> true, null, null).items()).hasSize(CallPage.DEFAULT_LIMIT);
        assertThat(CallPage.page(calls, c -> true, "200", null).items()).hasSize(CallPage.MAX_LIMIT);
        var odd = CallPage.page(calls, c -> c.getMetadata().getName().endsWith("1"), "200", null);
        assertThat(odd.items()).hasSize(25).allSatisfy(v -> assertThat(v.name()).endsWith("1"));
        assertThat(odd.continueToken()).isNull();
    }

    @Test
    void badLimitsAndTokensAreProblemsWithTheirCodes() {
        for (String limit : List.of("0", "201", "-1", "ten", "1.5")) {
            assertThatThrownBy(() -> CallPage.page(List.of(), c -> true, limit, null))
                    .isInstanceOfSatisfying(
                            ProblemException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.INVALID_FIELD));
        }
        for (String token : List.of("x", "%%%", "e30", "eyJ2IjoyLCJuIjoiYSJ9", "W10")) {
            assertThatThrownBy(() -> CallPage.page(List.of(), c -> true, null, token))
                    .as(token)
                    .isInstanceOfSatisfying(
                            ProblemException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.INVALID_CONTINUE));
        }
    }
}
