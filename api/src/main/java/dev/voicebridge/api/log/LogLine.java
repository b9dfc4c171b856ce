package dev.voicebridge.api.log;

/**
 * {@code event=NAME key=value ...} log messages. Values with spaces, quotes, {@code =} or control
 * characters are quoted and escaped, so a line stays one line and splits unambiguously; null values
 * are left out. Callers pass masked numbers ({@link dev.voicebridge.api.PhoneNumbers#mask}) and
 * the call's resource name (a hash of the call id) instead of the raw id; secrets and transcripts
 * never reach an INFO line.
 */
public final class LogLine {
    /** The field naming the call: its VoiceCall resource name ({@code wa-…}), everywhere. */
    public static final String CALL = "call";

    private LogLine() {}

    /** The message for {@code event} with its {@code key, value} pairs, in order. */
    public static String of(String event, Object... pairs) {
        var out = new StringBuilder("event=").append(event);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            Object value = pairs[i + 1];
            if (value == null) {
                continue;
            }
            out.append(' ').append(pairs[i]).append('=');
            String text = value.toString();
            if (text.isEmpty() || text.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
                out.append('"')
                        .append(text.replace("\\", "\\\\")
                                .replace("\"", "\\\"")
                                .replace("\n", "\\n")
                                .replace("\r", "\\r"))
                        .append('"');
            } else {
                out.append(text);
            }
        }
        return out.toString();
    }
}
