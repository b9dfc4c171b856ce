package dev.voicebridge.worker.modelsocket;

/**
 * The one message a model socket receives 50 times a second while the agent speaks: a flat JSON
 * object such as {@code {"type":"response.output_audio.delta","response_id":"…","item_id":"…",
 * "delta":"<base64 of little-endian PCM16>",…}}, read without a JSON tree and with the base64
 * decoded straight into the sample array the playout queues. Through Jackson each message cost a
 * tree, the parser's 8 KB token buffer (its buffer recycler is per thread, and the socket's
 * threads are virtual and short-lived, so nothing was recycled), the base64 text, its bytes and
 * the decoded bytes.
 *
 * <p>It reads any {@link CharSequence}: the model socket hands over an ASCII message as a view of
 * its receive buffer, so a delta never becomes a String.
 *
 * <p>Only what is certainly this event is read here: anything else — another type, a nested
 * value, an escape sequence in a string, text that is not one flat object — gets {@code null},
 * and the caller parses it the general way, so the result never differs from the tree parser's.
 */
public final class AudioDeltaJson {
    /** An audio delta; ids are null when absent. */
    public record Delta(String responseId, String itemId, short[] pcm) {}

    private static final byte[] BASE64 = new byte[128];

    static {
        java.util.Arrays.fill(BASE64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = (byte) i;
        }
    }

    private final String type;

    /** @param type the event type, e.g. {@code response.output_audio.delta} */
    public AudioDeltaJson(String type) {
        this.type = type;
    }

    /**
     * @return the delta, or null when {@code text} is not certainly a flat event of this type
     * @throws IllegalArgumentException when it is, but its audio is not valid base64
     */
    public Delta read(CharSequence text) {
        int n = text.length();
        int i = skipSpace(text, 0);
        if (i >= n || text.charAt(i) != '{') {
            return null;
        }
        String responseId = null;
        String itemId = null;
        int audioFrom = -1;
        int audioTo = -1;
        boolean typed = false;
        i = skipSpace(text, i + 1);
        if (i < n && text.charAt(i) == '}') {
            return null;
        }
        while (true) {
            if (i >= n || text.charAt(i) != '"') {
                return null;
            }
            int keyEnd = stringEnd(text, i + 1);
            if (keyEnd < 0) {
                return null;
            }
            int keyFrom = i + 1;
            i = skipSpace(text, keyEnd + 1);
            if (i >= n || text.charAt(i) != ':') {
                return null;
            }
            i = skipSpace(text, i + 1);
            if (i >= n) {
                return null;
            }
            char c = text.charAt(i);
            if (c == '"') {
                int end = stringEnd(text, i + 1);
                if (end < 0) {
                    return null;
                }
                if (is(text, keyFrom, keyEnd, "type")) {
                    if (!is(text, i + 1, end, type)) {
                        return null; // another event: the general parser's
                    }
                    typed = true;
                } else if (is(text, keyFrom, keyEnd, "delta")) {
                    audioFrom = i + 1;
                    audioTo = end;
                } else if (is(text, keyFrom, keyEnd, "response_id")) {
                    responseId = text.subSequence(i + 1, end).toString();
                } else if (is(text, keyFrom, keyEnd, "item_id")) {
                    itemId = text.subSequence(i + 1, end).toString();
                }
                i = end + 1;
            } else {
                int end = scalarEnd(text, i);
                if (end < 0 || is(text, keyFrom, keyEnd, "type") || is(text, keyFrom, keyEnd, "delta")) {
                    return null; // nested, malformed, or a field of an unexpected kind
                }
                i = end;
            }
            i = skipSpace(text, i);
            if (i >= n) {
                return null;
            }
            if (text.charAt(i) == '}') {
                break;
            }
            if (text.charAt(i) != ',') {
                return null;
            }
            i = skipSpace(text, i + 1);
        }
        if (!typed || skipSpace(text, i + 1) != n) {
            return null;
        }
        return new Delta(responseId, itemId, audioFrom < 0 ? new short[0] : pcm(text, audioFrom, audioTo));
    }

    private static boolean is(CharSequence text, int from, int to, String key) {
        return to - from == key.length() && startsWith(text, key, from);
    }

    private static boolean startsWith(CharSequence text, String word, int at) {
        if (at + word.length() > text.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (text.charAt(at + k) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(CharSequence text, int i) {
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    /** The index of the closing quote of a string without escapes starting at {@code i}; -1 otherwise. */
    private static int stringEnd(CharSequence text, int i) {
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    /** The end of a number, {@code true}, {@code false} or {@code null} at {@code i}; -1 otherwise. */
    private static int scalarEnd(CharSequence text, int i) {
        for (String word : new String[] {"true", "false", "null"}) {
            if (startsWith(text, word, i)) {
                return i + word.length();
            }
        }
        // RFC 8259 section 6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [-+]? [0-9]+)?
        int n = text.length();
        if (i < n && text.charAt(i) == '-') {
            i++;
        }
        if (i < n && text.charAt(i) == '0') {
            i++;
        } else {
            int d = digits(text, i);
            if (d == i) {
                return -1;
            }
            i = d;
        }
        if (i < n && text.charAt(i) == '.') {
            int d = digits(text, i + 1);
            if (d == i + 1) {
                return -1;
            }
            i = d;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int d = digits(text, i);
            if (d == i) {
                return -1;
            }
            i = d;
        }
        return i;
    }

    private static int digits(CharSequence text, int i) {
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /**
     * Decodes base64 (RFC 4648 section 4, padding optional, as {@link java.util.Base64}'s basic
     * decoder) into little-endian 16-bit samples; an odd last byte is dropped.
     */
    static short[] pcm(CharSequence text, int from, int to) {
        int end = to;
        while (end > from && to - end < 2 && text.charAt(end - 1) == '=') {
            end--;
        }
        int chars = end - from;
        int padding = to - end;
        // a unit of 2 characters takes "==" or nothing, of 3 "=" or nothing; 1 is never whole
        if (chars % 4 == 1 || (padding > 0 && padding != 4 - chars % 4)) {
            throw new IllegalArgumentException("base64 with a wrong last unit");
        }
        int bytes = chars / 4 * 3 + (chars % 4 == 0 ? 0 : chars % 4 - 1);
        short[] out = new short[bytes / 2];
        int bits = 0;
        int nbits = 0;
        int low = -1;
        int k = 0;
        for (int i = from; i < end; i++) {
            char c = text.charAt(i);
            int v = c < 128 ? BASE64[c] : -1;
            if (v < 0) {
                throw new IllegalArgumentException("illegal base64 character " + Integer.toHexString(c));
            }
            bits = (bits << 6) | v;
            nbits += 6;
            if (nbits >= 8) {
                nbits -= 8;
                int b = (bits >> nbits) & 0xff;
                if (low < 0) {
                    low = b;
                } else {
                    if (k < out.length) {
                        out[k++] = (short) (low | (b << 8));
                    }
                    low = -1;
                }
            }
        }
        return out;
    }
}
