package dev.voicebridge.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.phone.PhoneStats;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What {@code ./voicebridge call} prints: the call's phase timeline and figures, from its view. */
final class CallReport {
    private CallReport() {}

    private record Event(String label, Instant at) {}

    static String render(JsonNode view, PhoneStats phone, short[] heard, Path heardWav) {
        var b = new StringBuilder();
        JsonNode ts = view.path("timestamps");
        JsonNode media = view.path("media");
        JsonNode agent = view.path("agentStatus");
        JsonNode end = view.path("end");
        b.append("call ")
                .append(view.path("callId").asText())
                .append(" (")
                .append(view.path("name").asText())
                .append("), agent ")
                .append(view.path("agent").asText("?"))
                .append(", phase ")
                .append(view.path("phase").asText("?"));
        if (!end.isMissingNode()) {
            b.append(", end ")
                    .append(end.path("reason").asText())
                    .append(" by ")
                    .append(end.path("by").asText("?"));
        }
        b.append("\n\ntimeline (ms after the request was received)\n");
        List<Event> events = new ArrayList<>();
        add(events, "received", view.path("receivedAt"));
        // createdAt (metadata.creationTimestamp) has whole seconds only: not placed on this timeline.
        add(events, "assigned", ts.path("assignedAt"));
        add(events, "answered", ts.path("answeredAt"));
        add(events, "accepted", view.path("acceptedAt"));
        add(events, "connected", ts.path("connectedAt"));
        add(events, "media started", media.path("mediaStartedAt"));
        add(events, "ended", ts.path("endedAt"));
        events.sort(Comparator.comparing(Event::at));
        Instant origin = events.stream()
                .filter(e -> e.label().equals("received"))
                .map(Event::at)
                .findFirst()
                .orElse(events.isEmpty() ? Instant.EPOCH : events.getFirst().at());
        for (Event e : events) {
            b.append(String.format("  %+7d  %s%n", e.at().toEpochMilli() - origin.toEpochMilli(), e.label()));
        }
        b.append("\nfigures\n");
        line(b, "setup (created -> connected)", ts.path("setupMillis"), "ms");
        line(b, "ICE", media.path("iceMillis"), "ms");
        line(b, "DTLS handshake", media.path("dtlsMillis"), "ms");
        line(b, "selected pair", media.path("selectedPair"), "");
        line(b, "SRTP profile", media.path("srtpProfile"), "");
        b.append(String.format(
                "  %-30s %s in / %s out%n",
                "RTP packets (worker)",
                media.path("packetsIn").asText("-"),
                media.path("packetsOut").asText("-")));
        line(b, "lost", media.path("packetsLost"), "");
        line(b, "loss", media.path("lossPercent"), "%");
        line(b, "jitter", media.path("jitterMillis"), "ms");
        line(b, "concealed", media.path("concealedMillis"), "ms");
        line(b, "agent responses", agent.path("responses"), "");
        line(b, "barge-ins", agent.path("interruptions"), "");
        line(b, "response latency (last)", agent.path("lastResponseLatencyMillis"), "ms");
        line(b, "response latency (mean)", agent.path("meanResponseLatencyMillis"), "ms");
        line(b, "tokens in / out", agent.path("inputTokens"), "");
        if (agent.has("outputTokens")) {
            b.setLength(b.length() - 1);
            b.append(" / ").append(agent.path("outputTokens").asText()).append('\n');
        }
        line(b, "estimated cost", agent.path("estimatedCostUsd"), "USD");
        b.append(String.format(
                "  %-30s %d received, %d sent, %d frames concealed%n",
                "phone RTP", phone.rtpReceived(), phone.rtpSent(), phone.concealedFrames()));
        double seconds = heard.length / (double) PcmSource.SAMPLE_RATE;
        double rms = heard.length == 0 ? 0 : AudioAnalysis.rms(heard, 0, heard.length);
        b.append(
                String.format("  %-30s %.1f s, rms %.3f of full scale -> %s%n", "phone heard", seconds, rms, heardWav));
        JsonNode transcript = agent.path("transcript");
        if (transcript.isArray() && !transcript.isEmpty()) {
            b.append("\ntranscript\n");
            for (JsonNode line : transcript) {
                b.append("  ")
                        .append(String.format("%-7s", line.path("role").asText()))
                        .append(line.path("text").asText())
                        .append('\n');
            }
        }
        return b.toString();
    }

    private static void add(List<Event> events, String label, JsonNode value) {
        if (value.isTextual()) {
            try {
                events.add(new Event(label, Instant.parse(value.asText())));
            } catch (DateTimeParseException e) {
                // not a point in time we can place; leave it out of the timeline
            }
        }
    }

    private static void line(StringBuilder b, String label, JsonNode value, String unit) {
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        b.append(String.format("  %-30s %s%s%n", label, value.asText(), unit.isEmpty() ? "" : " " + unit));
    }
}
