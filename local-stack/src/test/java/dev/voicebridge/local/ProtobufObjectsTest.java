package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The protobuf bodies kubectl's typed clients send, read into the JSON an API server sees. */
class ProtobufObjectsTest {
    /** Exactly what kubectl v1.32.4 sent for {@code kubectl create secret generic foo --from-literal=a=b}. */
    static final byte[] KUBECTL_CREATE_SECRET = HexFormat.of()
            .parseHex("6b3873000a0c0a0276311206536563726574121f0a130a03666f6f12001a0022002a0032003800420012060a01"
                    + "611201621a001a002200");

    @Test
    void readsKubectlsSecret() throws Exception {
        var secret = ProtobufObjects.toJson(KUBECTL_CREATE_SECRET);
        assertThat(secret.toString())
                .isEqualTo(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"foo\"},\"data\":{\"a\":\"Yg==\"}}");
    }

    @Test
    void refusesKindsAndFieldsItDoesNotKnowInsteadOfDroppingThem() {
        // apps/v1 Deployment "x": not a kind the local API reads
        byte[] deployment =
                HexFormat.of().parseHex("6b3873000a150a0761707073" + "2f7631120a4465706c6f796d656e7412050a030a0178");
        assertThatThrownBy(() -> ProtobufObjects.toJson(deployment))
                .isInstanceOf(ProtobufObjects.Unsupported.class)
                .hasMessageContaining("apps/v1 Deployment");
        // a Secret with field 9 set (no such field): refused, not silently lost
        byte[] unknownField = HexFormat.of().parseHex("6b3873000a0c0a02763112065365637265741202" + "4801");
        assertThatThrownBy(() -> ProtobufObjects.toJson(unknownField))
                .isInstanceOf(ProtobufObjects.Unsupported.class)
                .hasMessageContaining("field 9");
        assertThatThrownBy(() -> ProtobufObjects.toJson("{}".getBytes()))
                .isInstanceOf(ProtobufObjects.Unsupported.class);
        // truncated: a length running past the end
        byte[] truncated = HexFormat.of().parseHex("6b3873000a0c0a027631120653656372657412ff");
        assertThatThrownBy(() -> ProtobufObjects.toJson(truncated)).isInstanceOf(ProtobufObjects.Unsupported.class);
    }
}
