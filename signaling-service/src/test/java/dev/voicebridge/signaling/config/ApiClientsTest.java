package dev.voicebridge.signaling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiClientsTest {
    static final String TOKEN = "a-long-random-token-9c1e";

    static List<ApiClient> load(String legacy, String file) {
        return ApiClients.load(
                SecretValue.of(legacy), "clients.yaml", file == null ? null : file.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsNamedClientsWithTokensOrTheirDigestsOperationsAndScopes() {
        String digest = HexFormat.of().formatHex(ApiClients.sha256("second-token".getBytes(StandardCharsets.UTF_8)));
        var clients = load("", """
                clients:
                  - name: edge
                    token: %s
                    operations: [create, read, accept, hangup]
                    agents: [receptionist]
                    phoneNumberIds: ["*"]
                  - name: dashboard
                    tokenSha256: %s
                    operations: ["*"]
                    agents: ["*"]
                    phoneNumberIds: ["111", "222"]
                """.formatted(TOKEN, digest.toUpperCase(java.util.Locale.ROOT)));
        assertThat(clients).extracting(ApiClient::name).containsExactly("edge", "dashboard");
        var edge = clients.get(0);
        assertThat(edge.tokenSha256()).isEqualTo(ApiClients.sha256(TOKEN.getBytes(StandardCharsets.UTF_8)));
        assertThat(edge.may(CallOperation.CREATE)).isTrue();
        assertThat(edge.may(CallOperation.LIST)).isFalse();
        assertThat(edge.covers("receptionist", "999")).isTrue();
        assertThat(edge.covers("receptionist", null)).isTrue();
        assertThat(edge.covers("sales", "999")).isFalse();
        assertThat(edge.covers(null, "999"))
                .as("a call without an agent is no agent's")
                .isFalse();
        var dashboard = clients.get(1);
        assertThat(dashboard.tokenSha256()).isEqualTo(HexFormat.of().parseHex(digest));
        assertThat(dashboard.operations()).containsExactlyInAnyOrder(CallOperation.values());
        assertThat(dashboard.covers("anyone", "222")).isTrue();
        assertThat(dashboard.covers("anyone", "333")).isFalse();
        assertThat(dashboard.covers("anyone", null)).isFalse();
        assertThat(edge.toString())
                .doesNotContain(TOKEN)
                .doesNotContain(HexFormat.of().formatHex(edge.tokenSha256()));
    }

    @Test
    void theLegacyTokenIsTheClientDefaultWithEveryOperationOnEveryCall() {
        var clients = load("legacy-token", null);
        assertThat(clients).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("default");
            assertThat(c.operations()).containsExactlyInAnyOrder(CallOperation.values());
            assertThat(c.covers(null, null)).isTrue();
        });
        assertThat(load("", null)).isEmpty();
    }

    @Test
    void anythingDoubtfulStopsTheStartWithoutEverNamingAToken() {
        String secret = "do-not-print-me-7f3a";
        List<String> broken = List.of(
                "clients:\n  - name: x\n    token: " + secret + "\n    operations: [read]\n    agents: [a]\n",
                "clients:\n  - name: x\n    token: " + secret
                        + "\n    operations: []\n    agents: [a]\n    phoneNumberIds: [b]\n",
                "clients:\n  - name: x\n    token: " + secret
                        + "\n    operations: [delete]\n    agents: [a]\n    phoneNumberIds: [b]\n",
                "clients:\n  - name: x\n    tokn: " + secret
                        + "\n    operations: [read]\n    agents: [a]\n    phoneNumberIds: [b]\n",
                "clients:\n  - name: x\n    token: " + secret + "\n    tokenSha256: " + "0".repeat(64)
                        + "\n    operations: [read]\n    agents: [a]\n    phoneNumberIds: [b]\n",
                "clients:\n  - name: x\n    tokenSha256: " + secret
                        + "\n    operations: [read]\n    agents: [a]\n    phoneNumberIds: [b]\n",
                "clients:\n  - name: Not_A_Label\n    token: " + secret
                        + "\n    operations: [read]\n    agents: [a]\n    phoneNumberIds: [b]\n",
                "clients:\n  - name: x\n    token: " + secret
                        + "\n    operations: [read]\n    agents: [a]\n    phoneNumberIds: [b]\n"
                        + "  - name: x\n    token: other-" + secret
                        + "\n    operations: [read]\n    agents: [a]\n    phoneNumberIds: [b]\n",
                "clients:\n  - name: x\n    token: " + secret
                        + "\n    operations: [read]\n    agents: [a]\n    phoneNumberIds: [b]\n"
                        + "  - name: y\n    token: " + secret
                        + "\n    operations: [read]\n    agents: [a]\n    phoneNumberIds: [b]\n",
                "clients: {" + secret,
                "other: 1\n",
                "- " + secret + "\n");
        for (String file : broken) {
            assertThatThrownBy(() -> load("", file))
                    .as(file)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("clients.yaml")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
        }
        assertThatThrownBy(() -> load(
                        secret,
                        "clients:\n  - name: default\n    token: other\n    operations: [read]\n"
                                + "    agents: [a]\n    phoneNumberIds: [b]\n"))
                .hasMessageContaining("default")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
        assertThatThrownBy(() -> load(
                        secret,
                        "clients:\n  - name: x\n    token: " + secret + "\n    operations: [read]\n"
                                + "    agents: [a]\n    phoneNumberIds: [b]\n"))
                .hasMessageContaining("another client's token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
    }
}
