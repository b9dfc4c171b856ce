package dev.voicebridge.e2e;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The media worker's threads by what they do, from their names as /proc shows them (at most 15
 * characters). Virtual threads — each call's owner (DTLS), each call's agent and its model socket
 * (sends on the sender's thread, reads on a thread of its own), status writes — run on the carrier
 * pool and are counted there. The JDK HTTP client's selector thread ({@code
 * HttpClient-N-SelectorManager}) is the Kubernetes client's.
 */
final class ThreadGroups {
    private record Rule(Pattern name, String group) {}

    private static final List<Rule> RULES = List.of(
            rule("udp-recv-.*", "receive (udp-recv)"),
            rule("udp-send-.*", "sender (udp-send)"),
            rule("media-pacer(-[0-9]+)?", "pacer (codec, RTP, RTCP)"), // one per shard: media-pacer-0, -1, …
            rule("IceConnector.*|ice4j\\..*|media-timer", "ICE (ice4j, timers)"),
            rule(
                    "call-agent-.*|embedded-agent.*|realtime-.*|live-.*|model-socket-.*",
                    "model I/O (agents, WebSocket watchdog)"),
            // The carriers, and the JDK's helpers of virtual threads: the unparker of timed parks and
            // the pollers of their blocking I/O.
            rule(
                    "ForkJoinPool.*|VirtualThread-u.*|MasterPoller|ReadPoller.*|WritePoller.*",
                    "virtual threads (call owners, agents and model sockets, DTLS, status writes)"),
            rule(
                    // JdkHttpClientFa…: Fabric8's JDK HTTP client pool (watch events, status writes).
                    "calls-.*|HttpClient-.*|JdkHttpClientFa.*|OkHttp.*|vert\\.x.*|Informer.*|Executor.*",
                    "Kubernetes (informer, status writes, the HTTP client's selector)"),
            rule("GC .*|G1 .*|VM .*|Common-Cleaner|Cleaner.*|Service Thread|Monitor Deflati.*", "JVM (GC, VM)"),
            rule("C1 Compiler.*|C2 Compiler.*|C1 CompilerThre.*|C2 CompilerThre.*", "JIT"),
            rule("helidon-.*|server-.*|\\[.*", "HTTP (health, metrics)"));

    private ThreadGroups() {}

    private static Rule rule(String regex, String group) {
        return new Rule(Pattern.compile(regex), group);
    }

    static String of(String threadName) {
        for (Rule r : RULES) {
            if (r.name().matcher(threadName).matches()) {
                return r.group();
            }
        }
        return "other";
    }
}
