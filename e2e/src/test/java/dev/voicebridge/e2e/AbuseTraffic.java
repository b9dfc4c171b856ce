package dev.voicebridge.e2e;

import dev.voicebridge.testkit.abuse.DatagramFlood;
import dev.voicebridge.testkit.abuse.HostileDatagrams;
import dev.voicebridge.testkit.abuse.HostileRequests;
import dev.voicebridge.testkit.abuse.HttpFlood;
import dev.voicebridge.testkit.abuse.SignalingAttacks;
import dev.voicebridge.testkit.http.RawHttp;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What AbuseE2E sends, all at once: an HTTP flood at every HTTP port (signaling's webhook, call
 * API and operational endpoints; the operator's and each worker's health and metrics port) and a
 * datagram flood per live call, half of it from the call's own peer socket. Each comes
 * hostile or as its harmless twin — the same senders at the same pace to the same ports, but
 * health probes instead of attacks and datagrams a media port drops at their first byte — so that
 * what the hostility costs the calls can be told from what the traffic itself costs on a small
 * machine (issue 11: "the same rate of harmless packets cost nothing").
 */
record AbuseTraffic(Map<String, HttpFlood> http, Map<String, DatagramFlood> datagrams) implements AutoCloseable {
    static final int HTTP_PER_SURFACE = 1_000;
    static final int HTTP_CONCURRENCY = 6;
    static final int DATAGRAMS_PER_CALL = 100_000;
    /** 48 every 10 ms: 4,800 a second per call, 100,000 in about 21 s. */
    static final int BURST = 48;

    static final Duration TICK = Duration.ofMillis(10);
    static final List<String> OPERATIONAL = List.of("/health/live", "/health/ready", "/metrics");

    /**
     * The attacks, spread over {@code spread}; {@code targetCallId} is the live call the call
     * API's attacks name (so they reach the resource, not a 404).
     */
    static AbuseTraffic hostile(
            E2eStack stack,
            List<LiveCall> calls,
            DatagramChannel stranger,
            String targetCallId,
            long seed,
            Duration spread) {
        var signaling = SignalingAttacks.all(
                new SignalingAttacks.SignalingTarget(
                        E2eStack.APP_SECRET, "e2e-verify", E2eStack.API_TOKEN, "echo", targetCallId, 1_048_576, null),
                seed);
        long[] next = {seed};
        Map<String, HttpFlood> http = httpFloods(
                stack,
                signaling,
                port -> HostileRequests.operational(OPERATIONAL, HTTP_PER_SURFACE, ++next[0]),
                spread);
        Map<String, DatagramFlood> datagrams = new LinkedHashMap<>();
        for (LiveCall call : calls) {
            datagrams.put(
                    call.callId,
                    DatagramFlood.start(
                            hostileDatagrams(stack, call, seed + datagrams.size()),
                            call.phone::sendRaw,
                            stranger,
                            stack.workerMedia(call.worker()),
                            DATAGRAMS_PER_CALL,
                            BURST,
                            TICK));
        }
        return new AbuseTraffic(http, datagrams);
    }

    /**
     * The same senders at the same pace for as long as it runs: {@code GET /health/live} at every
     * HTTP port, and datagrams each media port drops at their first byte ({@link
     * HostileDatagrams#harmless}), half of them from the call's peer socket.
     */
    static AbuseTraffic harmless(E2eStack stack, List<LiveCall> calls, DatagramChannel stranger, Duration spread) {
        List<HostileRequests.Attack> probes = Collections.nCopies(
                HTTP_PER_SURFACE,
                new HostileRequests.Attack(
                        "health probe", raw -> raw.request("GET", "/health/live", Map.of(), new byte[0]), Set.of()));
        Map<String, HttpFlood> http = httpFloods(stack, probes, port -> probes, spread);
        Map<String, DatagramFlood> datagrams = new LinkedHashMap<>();
        for (LiveCall call : calls) {
            datagrams.put(
                    call.callId,
                    DatagramFlood.start(
                            HostileDatagrams.harmless(1 + datagrams.size()),
                            call.phone::sendRaw,
                            stranger,
                            stack.workerMedia(call.worker()),
                            DATAGRAMS_PER_CALL,
                            BURST,
                            TICK));
        }
        return new AbuseTraffic(http, datagrams);
    }

    private static HostileDatagrams hostileDatagrams(E2eStack stack, LiveCall call, long seed) {
        return HostileDatagrams.against(
                seed, stack.call(call.callId).getStatus().getMedia().getSdpAnswer(), call.phone.offer());
    }

    private static Map<String, HttpFlood> httpFloods(
            E2eStack stack,
            List<HostileRequests.Attack> signaling,
            Function<InetSocketAddress, List<HostileRequests.Attack>> operational,
            Duration spread) {
        Map<String, HttpFlood> floods = new LinkedHashMap<>();
        floods.put(
                "signaling", HttpFlood.start(new RawHttp(stack.signalingHttp()), signaling, HTTP_CONCURRENCY, spread));
        Map<String, InetSocketAddress> ports = new LinkedHashMap<>();
        ports.put("operator", stack.operatorHttp());
        for (String worker : E2eStack.WORKERS) {
            ports.put(worker, stack.workerHttp(worker));
        }
        ports.forEach((name, port) -> floods.put(
                name, HttpFlood.start(new RawHttp(port), operational.apply(port), HTTP_CONCURRENCY, spread)));
        return floods;
    }

    /** Whether every datagram flood and signaling's HTTP flood are still sending. */
    boolean stillRunning() {
        return datagrams.values().stream().noneMatch(DatagramFlood::isDone)
                && !http.get("signaling").isDone();
    }

    @Override
    public void close() {
        http.values().forEach(HttpFlood::close);
        datagrams.values().forEach(DatagramFlood::close);
    }

    /**
     * The answers of one surface that are not its documented refusal of the attack:
     * signaling-service and the workers (Helidon) answer every attack with the documented problem
     * of that attack; the operator (the JDK HTTP server) as {@link OperatorAnswers} says.
     */
    static List<String> wrongAnswers(String surface, List<HttpFlood.Outcome> outcomes) {
        BiFunction<HttpFlood.Outcome, Set<String>, String> verdict =
                surface.equals("operator") ? OperatorAnswers::verdict : HttpFlood.Outcome::verdict;
        Set<String> documented =
                switch (surface) {
                    case "signaling" -> DocumentedProblems.signaling();
                    case "operator" -> DocumentedProblems.operator();
                    default -> DocumentedProblems.mediaWorker();
                };
        List<String> wrong = new ArrayList<>();
        for (var outcome : outcomes) {
            if (!outcome.attack().answerExpected()) {
                continue;
            }
            String why = verdict.apply(outcome, documented);
            if (why != null) {
                wrong.add(outcome.attack().kind() + " -> " + why);
            }
        }
        return wrong;
    }
}
