package dev.voicebridge.worker.ice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.sdp.IceCandidate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteCandidateTest {
    private static IceCandidate candidate(String transport, int component, String address, int port, long priority) {
        return new IceCandidate(
                "1",
                component,
                transport,
                priority,
                address,
                port,
                "host",
                Optional.empty(),
                Optional.empty(),
                Map.of());
    }

    @Test
    void keepsUdpComponentOneLiteralsOnlyHighestPriorityFirst() {
        var usable = RemoteCandidate.usable(List.of(
                candidate("udp", 1, "203.0.113.49", 3484, 2122260223L),
                candidate("udp", 1, "2001:db8:f36b:131:face:b00c:0:699c", 3484, 2122262783L),
                candidate("tcp", 1, "203.0.113.49", 9, 1518280447L),
                candidate("udp", 2, "203.0.113.49", 3485, 2122260222L),
                candidate("udp", 1, "0a1b2c3d-1234.local", 5000, 2122260224L),
                candidate("udp", 1, "example.com", 5000, 2122260225L),
                candidate("udp", 1, "203.0.113.50", 0, 2122260226L)));
        assertThat(usable).extracting(c -> c.address().getPort()).containsExactly(3484, 3484);
        assertThat(usable.getFirst().address().getAddress().getHostAddress()).contains(":");
        assertThat(usable.get(1).address().getAddress().getHostAddress()).isEqualTo("203.0.113.49");
    }
}
