package dev.voicebridge.e2e;

import dev.voicebridge.testkit.abuse.HttpFlood;
import java.util.Set;

/**
 * The operator serves health and metrics on the JDK HTTP server (docs/operator.md): its handler
 * answers a path it does not serve or a method other than GET as problem+json ({@code not-found},
 * {@code method-not-allowed}); the JDK server itself refuses what it cannot parse before any
 * handler runs, with a bare 4xx and a closed connection. What it must never do is fail (5xx).
 */
final class OperatorAnswers {
    private OperatorAnswers() {}

    static String verdict(HttpFlood.Outcome outcome, Set<String> documented) {
        var reply = outcome.reply();
        if (reply.status() >= 500) {
            return "server error: " + reply;
        }
        if ("application/problem+json".equals(reply.header("content-type"))) {
            return documented.contains(outcome.code()) ? null : "undocumented code: " + reply;
        }
        return null;
    }
}
