package dev.voicebridge.worker.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.media.sdp.IceCandidate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Which candidates of an offer the worker checks, and how much STUN a call may send. */
class IceGuardTest {
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

    private static IceCandidate udp(String address, int port, long priority) {
        return candidate("udp", 1, address, port, priority);
    }

    private static IceGuard guard(CandidatePolicy policy) {
        return new IceGuard(policy, CheckLimits.defaults());
    }

    @Test
    void keepsUdpComponentOneLiteralsOnlyHighestPriorityFirst() {
        var usable = guard(CandidatePolicy.defaults())
                .select(
                        "wa-1",
                        List.of(
                                udp("203.0.113.49", 3484, 2122260223L),
                                udp("2001:db8:f36b:131:face:b00c:0:699c", 3484, 2122262783L),
                                candidate("tcp", 1, "203.0.113.49", 9, 1518280447L),
                                candidate("udp", 2, "203.0.113.49", 3485, 2122260222L),
                                udp("0a1b2c3d-1234.local", 5000, 2122260224L),
                                udp("example.com", 5000, 2122260225L),
                                udp("203.0.113.50", 0, 2122260226L)));
        assertThat(usable).extracting(c -> c.address().getPort()).containsExactly(3484, 3484);
        assertThat(usable.getFirst().address().getAddress().getHostAddress()).contains(":");
        assertThat(usable.get(1).address().getAddress().getHostAddress()).isEqualTo("203.0.113.49");
    }

    @Test
    void neverMulticastBroadcastOrUnspecifiedAndByDefaultNoLoopbackOrLinkLocal() throws Exception {
        CandidatePolicy policy = CandidatePolicy.defaults();
        for (String special : List.of(
                "224.0.0.251",
                "239.255.255.250",
                "255.255.255.255",
                "0.0.0.0",
                "0.1.2.3",
                "::",
                "ff02::1",
                "ff05::2")) {
            assertThat(policy.refusal(InetAddress.getByName(special)))
                    .as(special)
                    .isEqualTo(Refusal.SPECIAL);
        }
        for (String denied : List.of("127.0.0.1", "127.9.9.9", "::1", "169.254.169.254", "fe80::1")) {
            assertThat(policy.refusal(InetAddress.getByName(denied))).as(denied).isEqualTo(Refusal.DENIED);
        }
        // WhatsApp's relays, the test namespace and private networks a worker may carry media on.
        for (String allowed : List.of("157.240.0.53", "2a03:2880:f200::1", "10.77.0.2", "192.168.1.10", "172.16.0.1")) {
            assertThat(policy.refusal(InetAddress.getByName(allowed)))
                    .as(allowed)
                    .isNull();
        }
        // Even an allow-everything policy never sends to a multicast group.
        var open = CandidatePolicy.parse("16", "ipv4,ipv6", "0.0.0.0/0,::/0", "");
        assertThat(open.refusal(InetAddress.getByName("224.0.0.1"))).isEqualTo(Refusal.SPECIAL);
        assertThat(open.refusal(InetAddress.getByName("127.0.0.1"))).isNull();
    }

    @Test
    void familiesAndAllowListsAreHonoured() throws Exception {
        var v4Only = CandidatePolicy.parse("4", "ipv4", "10.77.0.0/24", "10.77.0.9/32");
        assertThat(v4Only.refusal(InetAddress.getByName("2001:db8::1"))).isEqualTo(Refusal.FAMILY);
        assertThat(v4Only.refusal(InetAddress.getByName("10.77.1.2"))).isEqualTo(Refusal.DENIED);
        assertThat(v4Only.refusal(InetAddress.getByName("10.77.0.9"))).isEqualTo(Refusal.DENIED);
        assertThat(v4Only.refusal(InetAddress.getByName("10.77.0.2"))).isNull();
        assertThat(Cidr.parse("fe80::/10").contains(InetAddress.getByName("febf::1")))
                .isTrue();
        assertThat(Cidr.parse("fe80::/10").contains(InetAddress.getByName("fec0::1")))
                .isFalse();
        assertThatThrownBy(() -> CandidatePolicy.parse("4", "ipv4", "example.com/8", ""))
                .hasMessageContaining("example.com/8");
        assertThatThrownBy(() -> CandidatePolicy.parse("4", "ipx", "", "")).hasMessageContaining("ipx");
        assertThatThrownBy(() -> CandidatePolicy.parse("4", "ipv4", "10.0.0.0/33", ""))
                .hasMessageContaining("/33");
    }

    /** Issue 11 finding 6: 1,200 candidates in one offer; the worker takes the best few, logs once. */
    @Test
    void aHugeOfferIsCutToTheLimitCountedAndLoggedOnce() {
        var offered = new ArrayList<IceCandidate>();
        for (int i = 0; i < 1_100; i++) {
            offered.add(udp("10.77." + (i / 250) + "." + (i % 250 + 1), 30_000 + i, 2_000_000 - i));
        }
        for (int i = 0; i < 50; i++) {
            offered.add(udp("224.0.0." + i, 40_000 + i, 3_000_000 + i));
            offered.add(udp("127.0.0." + (i + 1), 40_000 + i, 3_000_000 + i));
        }
        var lines = new CopyOnWriteArrayList<String>();
        Logger log = Logger.getLogger(IceGuard.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(capture);
        try {
            IceGuard guard = guard(CandidatePolicy.defaults());
            String callId = "wacid.HBgLNDQ3NzAwOTAwMTIzFQIAEhggM0VCMDRBQjk3MUY=";
            // A session knows its call by the VoiceCall's name (WorkerCallEngine), and so does the guard.
            String name = CallNames.forCallId(callId);
            var taken = guard.select(name, offered);
            assertThat(taken).hasSize(CandidatePolicy.DEFAULT_MAX_CANDIDATES);
            assertThat(taken.getFirst().priority()).isEqualTo(2_000_000);
            assertThat(guard.refused(Refusal.OVER_LIMIT)).isEqualTo(1_100 - CandidatePolicy.DEFAULT_MAX_CANDIDATES);
            assertThat(guard.refused(Refusal.SPECIAL)).isEqualTo(50);
            assertThat(guard.refused(Refusal.DENIED)).isEqualTo(50);
            assertThat(lines).hasSize(1);
            assertThat(lines.getFirst())
                    .as("the VoiceCall's name, never the raw WhatsApp call id")
                    .contains("call=" + name + " ")
                    .doesNotContain("wacid")
                    .contains("checking=16 offered=1200")
                    .contains("over_limit 1084")
                    .contains("special 50")
                    .contains("denied 50");
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void checksAreBoundedByDestinationsRateAndTotal() {
        long[] now = {0};
        var policy = CandidatePolicy.parse("3", "ipv4,ipv6", "", CandidatePolicy.DEFAULT_DENY);
        var guard = new IceGuard(policy, new CheckLimits(10, 25), () -> now[0]);
        CheckBudget budget = guard.budget();
        var a = new InetSocketAddress("10.77.0.2", 1000);
        var b = new InetSocketAddress("10.77.0.2", 1001);
        var c = new InetSocketAddress("10.77.0.2", 1002);
        var d = new InetSocketAddress("10.77.0.2", 1003);
        // A full bucket: one second's worth at once, then one per 100 ms.
        int admitted = 0;
        for (int i = 0; i < 30; i++) {
            if (budget.admit(i % 2 == 0 ? a : b, true)) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(10);
        assertThat(guard.refused(Refusal.RATE)).isEqualTo(20);
        assertThat(budget.admit(a, false)).as("responses share the rate").isFalse();
        now[0] += 100_000_000;
        assertThat(budget.admit(c, true)).isTrue();
        assertThat(budget.admit(c, true)).isFalse();
        now[0] += 100_000_000;
        assertThat(budget.admit(d, true)).as("a fourth destination").isFalse();
        assertThat(guard.refused(Refusal.DESTINATIONS)).isEqualTo(1);
        assertThat(budget.admit(new InetSocketAddress("127.0.0.1", 1), true)).isFalse();
        assertThat(budget.admit(new InetSocketAddress("169.254.169.254", 80), false))
                .isFalse();
        assertThat(guard.refused(Refusal.DENIED)).isEqualTo(2);
        // The total: 25 requests before a pair is selected, whatever the rate allows.
        for (int i = 0; i < 100; i++) {
            now[0] += 100_000_000;
            budget.admit(a, true);
        }
        assertThat(guard.refused(Refusal.TOTAL)).isEqualTo(100 - (25 - 11));
        budget.selected();
        now[0] += 100_000_000;
        assertThat(budget.admit(a, true)).as("consent after selection").isTrue();
        assertThat(budget.destinations()).isEqualTo(3);
    }
}
