package dev.voicebridge.helidon.log;

/**
 * key=value log lines. Values with spaces or quotes are quoted. Callers pass masked numbers
 * ({@code dev.voicebridge.api.PhoneNumbers#mask}) and the call's resource name (a hash of the call
 * id) instead of the raw id; secrets never reach this class.
 */
public final class LogFields {
    private LogFields() {}

    public static String line(String event, Object... pairs) {
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
