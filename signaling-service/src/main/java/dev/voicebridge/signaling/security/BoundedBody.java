package dev.voicebridge.signaling.security;

import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a request body, refusing (413) one that exceeds the bound before buffering it all. */
public final class BoundedBody {
    private BoundedBody() {}

    public static byte[] read(InputStream in, String contentLength, int maxBytes) {
        if (contentLength != null) {
            try {
                if (Long.parseLong(contentLength.trim()) > maxBytes) {
                    throw tooLarge(maxBytes);
                }
            } catch (NumberFormatException ignored) {
                // A bogus header is not trusted either way: the read below enforces the bound.
            }
        }
        try {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("request body could not be read", e);
        }
    }

    private static ProblemException tooLarge(int maxBytes) {
        return new ProblemException(ProblemCode.BODY_TOO_LARGE, "body exceeds " + maxBytes + " bytes");
    }
}
