package dev.voicebridge.media.sdp;

import java.util.Locale;

/** One SDP line, with its 1-based number for error messages. */
record Line(int number, char type, String value) {
    String attributeName() {
        int colon = value.indexOf(':');
        return (colon < 0 ? value : value.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    }

    String attributeValue() {
        int colon = value.indexOf(':');
        return colon < 0 ? "" : value.substring(colon + 1);
    }

    /**
     * Names the line for an error detail. ICE passwords are secrets, so an {@code ice-pwd} line is
     * never echoed; other lines are shortened.
     */
    String describe() {
        if (type == 'a' && attributeName().equals("ice-pwd")) {
            return "line " + number + " (a=ice-pwd:<redacted>)";
        }
        return "line " + number + " (" + excerpt(type + "=" + value) + ")";
    }

    static String excerpt(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
    }
}
