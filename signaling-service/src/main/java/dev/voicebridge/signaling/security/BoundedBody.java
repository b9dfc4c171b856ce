package dev.voicebridge.signaling.security;

import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body, refusing (413) one that exceeds the bound before buffering it all, and
 * answering 400 {@code incomplete-body} when the body cannot be read to its end: the client closed
 * or reset the connection before sending all the bytes its Content-Length promised, or stopped
 * sending (the connection's read timeout). That is the client's doing, never a 500.
 */
public final class BoundedBody {
    private BoundedBody() {}

    public static byte[] read(InputStream in, String contentLength, int maxBytes) {
        if (contentLength != null) {
            long declared;
            try {
                declared = Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            // Helidon refuses most bogus values itself; a negative one gets this far.
            if (declared < 0) {
                throw new ProblemException(
                        ProblemCode.MALFORMED_REQUEST, "Content-Length must be a non-negative integer");
            }
            if (declared > maxBytes) {
                throw tooLarge(maxBytes);
            }
        }
        byte[] body;
        try {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException | RuntimeException e) {
            // Helidon reports an early end of the body (InsufficientDataAvailableException), a
            // reset or a read timeout as unchecked exceptions, I/O errors as IOException.
            throw new ProblemException(
                    ProblemCode.INCOMPLETE_BODY,
                    "the body could not be read to the end of its Content-Length",
                    null,
                    e);
        }
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return body;
    }

    private static ProblemException tooLarge(int maxBytes) {
        return new ProblemException(ProblemCode.BODY_TOO_LARGE, "body exceeds " + maxBytes + " bytes");
    }
}
