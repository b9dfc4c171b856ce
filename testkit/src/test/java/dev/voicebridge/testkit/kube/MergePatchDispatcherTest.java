package dev.voicebridge.testkit.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The examples of RFC 7386 Appendix A that matter for Kubernetes objects. */
class MergePatchDispatcherTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String merge(String target, String patch) throws Exception {
        return MergePatchDispatcher.merge(JSON.readTree(target), JSON.readTree(patch))
                .toString();
    }

    @Test
    void followsRfc7386() throws Exception {
        assertThat(merge("{\"a\":\"b\"}", "{\"a\":\"c\"}")).isEqualTo("{\"a\":\"c\"}");
        assertThat(merge("{\"a\":\"b\"}", "{\"b\":\"c\"}")).isEqualTo("{\"a\":\"b\",\"b\":\"c\"}");
        assertThat(merge("{\"a\":\"b\"}", "{\"a\":null}")).isEqualTo("{}");
        assertThat(merge("{\"a\":[\"b\"]}", "{\"a\":\"c\"}")).isEqualTo("{\"a\":\"c\"}");
        assertThat(merge("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}")).isEqualTo("{\"a\":[1]}");
        assertThat(merge("{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}"))
                .isEqualTo("{\"a\":{\"b\":\"d\"}}");
        assertThat(merge("{\"e\":null}", "{\"a\":1}")).isEqualTo("{\"e\":null,\"a\":1}");
        assertThat(merge("[1,2]", "{\"a\":\"b\",\"c\":null}")).isEqualTo("{\"a\":\"b\"}");
    }
}
