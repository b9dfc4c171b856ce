package dev.voicebridge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallNamesTest {
    /** DNS-1123 label: what Kubernetes accepts as a name and as a label value. */
    private static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    @Test
    void isDeterministic() {
        String id =
                "wacid.HBgLMTIxMjU1NTAxMjMVAgASGCA3QUJDMDEyMzQ1Njc4OUFCQ0RFRkFCQ0RFRjAxMjM0HBgLMTIwNjU1NTAxMjMVAgAA";
        assertThat(CallNames.forCallId(id)).isEqualTo(CallNames.forCallId(new String(id)));
        assertThat(CallNames.forCallId(id)).isEqualTo("wa-toafp7hj6lcgnfu63lrwljxd");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "wacid.ABGGFlA5FpafAgo6EhoyGRBWAwMw==",
                "wacid.a-b_c/d+e=",
                "WACID.UPPER.CASE",
                "x",
                "日本語の通話",
                " spaces and\ttabs ",
                "\u0000nul"
            })
    void isAValidKubernetesNameAndLabelWhateverTheId(String callId) {
        String name = CallNames.forCallId(callId);
        assertThat(name).matches(DNS_LABEL).hasSize(27).startsWith("wa-");
    }

    @Test
    void longIdsGiveShortNames() {
        assertThat(CallNames.forCallId("w".repeat(100_000))).hasSize(27);
    }

    @Test
    void distinctIdsGiveDistinctNames() {
        var names = new HashSet<String>();
        IntStream.range(0, 50_000).forEach(i -> names.add(CallNames.forCallId("wacid." + i)));
        assertThat(names).hasSize(50_000);
        assertThat(CallNames.forCallId("wacid.A")).isNotEqualTo(CallNames.forCallId("wacid.a"));
    }

    @Test
    void refusesEmpty() {
        assertThatThrownBy(() -> CallNames.forCallId("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallNames.forCallId(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callbackDataCarriesTheResourceNameAndNothingElse() {
        String name = CallNames.forCallId("out.crm.reminder-4711");
        assertThat(CallNames.fromCallbackData(CallNames.callbackData(name))).contains(name);
        assertThat(CallNames.fromCallbackData("TRx334DUDFTI4Mj")).isEmpty();
        assertThat(CallNames.fromCallbackData("voicebridge:../secrets")).isEmpty();
        assertThat(CallNames.fromCallbackData("voicebridge:UPPER")).isEmpty();
        assertThat(CallNames.fromCallbackData("voicebridge:")).isEmpty();
        assertThat(CallNames.fromCallbackData(null)).isEmpty();
        assertThat(CallNames.callbackData(name)).hasSizeLessThanOrEqualTo(512);
    }
}
