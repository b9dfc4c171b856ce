package dev.voicebridge.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.VoiceCall;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class OwnWritesTest {
    private final OwnWrites writes = new OwnWrites();
    private final List<String> reads = new ArrayList<>();

    private static VoiceCall at(String name, String resourceVersion) {
        var call = new VoiceCall();
        call.getMetadata().setNamespace("ns");
        call.getMetadata().setName(name);
        call.getMetadata().setResourceVersion(resourceVersion);
        return call;
    }

    /** The API server's copy: records that it was asked. */
    private UnaryOperator<VoiceCall> server(String resourceVersion) {
        return c -> {
            reads.add(c.getMetadata().getName());
            return resourceVersion == null ? null : at(c.getMetadata().getName(), resourceVersion);
        };
    }

    @Test
    void aCallWeNeverWroteIsDecidedOnTheInformersCopy() {
        VoiceCall cached = at("a", "5");
        assertThat(writes.current(cached, server("9"))).isSameAs(cached);
        assertThat(reads).isEmpty();
    }

    @Test
    void aCopyShowingOurLastWriteIsUsedAndTheWriteForgotten() {
        writes.wrote(at("a", "7"));
        VoiceCall cached = at("a", "7");
        assertThat(writes.current(cached, server("7"))).isSameAs(cached);
        assertThat(writes.pending()).isZero();
        assertThat(reads).isEmpty();
    }

    @Test
    void aCopyOlderThanOurWriteIsReadAgainUntilTheInformerShowsIt() {
        writes.wrote(at("a", "7"));
        // The informer is still at 6: the reconcile reads the API server's 7.
        assertThat(writes.current(at("a", "6"), server("7")).getMetadata().getResourceVersion())
                .isEqualTo("7");
        assertThat(reads).containsExactly("a");
        assertThat(writes.pending()).isOne();
        // Still at 6 on the next reconcile: read again.
        writes.current(at("a", "6"), server("7"));
        assertThat(reads).hasSize(2);
        // The informer caught up: no read, nothing pending.
        writes.current(at("a", "7"), server("7"));
        assertThat(reads).hasSize(2);
        assertThat(writes.pending()).isZero();
        assertThat(writes.reads()).isEqualTo(2);
    }

    @Test
    void aCopyNewerThanOurWriteIsConfirmedByOneReadThenTrusted() {
        writes.wrote(at("a", "7"));
        // Someone wrote 8 after us; versions are opaque, so one read confirms the copy is current.
        VoiceCall cached = at("a", "8");
        assertThat(writes.current(cached, server("8")).getMetadata().getResourceVersion())
                .isEqualTo("8");
        assertThat(writes.pending()).isZero();
        writes.current(at("a", "9"), server("9"));
        assertThat(reads).containsExactly("a");
    }

    @Test
    void onlyTheCallWeWroteIsRead() {
        writes.wrote(at("a", "7"));
        writes.current(at("b", "3"), server("3"));
        assertThat(reads).isEmpty();
    }

    @Test
    void aGoneCallAndADeletedOneLeaveNothingBehind() {
        writes.wrote(at("a", "7"));
        assertThat(writes.current(at("a", "6"), server(null))).isNull();
        assertThat(writes.pending()).isZero();
        writes.wrote(at("b", "4"));
        writes.forget(at("b", "4"));
        assertThat(writes.pending()).isZero();
    }
}
