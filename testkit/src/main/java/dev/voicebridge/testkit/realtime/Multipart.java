package dev.voicebridge.testkit.realtime;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) into its named parts, as text: what
 * {@code POST /v1/realtime/calls} takes ({@code sdp}, {@code session}). Strict where a real server
 * is (a boundary, delimiters on their own lines, a name per part), lenient about the rest.
 */
final class Multipart {
    private Multipart() {}

    /**
     * The parts by name, each decoded as UTF-8.
     *
     * @throws IllegalArgumentException when {@code contentType} is not multipart/form-data with a
     *     boundary or the body does not parse
     */
    static Map<String, String> parse(String contentType, byte[] body) {
        String boundary = boundary(contentType);
        // ISO-8859-1 maps bytes to chars one to one: the delimiters are found without decoding
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        int pos = text.startsWith(delimiter) ? 0 : text.indexOf("\r\n" + delimiter);
        if (pos < 0) {
            throw new IllegalArgumentException("the body has no part delimited by the boundary");
        }
        pos = text.indexOf(delimiter, pos);
        var parts = new LinkedHashMap<String, String>();
        while (true) {
            pos += delimiter.length();
            if (text.startsWith("--", pos)) {
                return parts; // the close delimiter
            }
            if (!text.startsWith("\r\n", pos)) {
                throw new IllegalArgumentException("a boundary delimiter must end its line");
            }
            int headEnd = text.indexOf("\r\n\r\n", pos);
            if (headEnd < 0) {
                throw new IllegalArgumentException("a part without the blank line after its headers");
            }
            String head = headEnd == pos ? "" : text.substring(pos + 2, headEnd);
            int next = text.indexOf("\r\n" + delimiter, headEnd + 4);
            if (next < 0) {
                throw new IllegalArgumentException("a part without a delimiter after it");
            }
            String name = name(head);
            String content = text.substring(headEnd + 4, next);
            parts.put(name, new String(content.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            pos = next + 2;
        }
    }

    private static String boundary(String contentType) {
        if (contentType == null) {
            throw new IllegalArgumentException("no Content-Type: send multipart/form-data");
        }
        String[] params = contentType.split(";");
        if (!params[0].strip().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
            throw new IllegalArgumentException("Content-Type " + params[0].strip() + ": send multipart/form-data");
        }
        for (int i = 1; i < params.length; i++) {
            String p = params[i].strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9);
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (b.isEmpty() || b.length() > 70) {
                    throw new IllegalArgumentException("the boundary must have 1 to 70 characters");
                }
                return b;
            }
        }
        throw new IllegalArgumentException("multipart/form-data without a boundary");
    }

    /** The {@code name} of a part's {@code Content-Disposition: form-data; name="…"}. */
    private static String name(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equalsIgnoreCase("Content-Disposition")) {
                continue;
            }
            for (String p : line.substring(colon + 1).split(";")) {
                String param = p.strip();
                if (param.toLowerCase(Locale.ROOT).startsWith("name=")) {
                    String value = param.substring(5);
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return value;
                }
            }
        }
        throw new IllegalArgumentException("a part without Content-Disposition: form-data; name=\"…\"");
    }
}
