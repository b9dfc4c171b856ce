package dev.voicebridge.testkit.abuse;

import dev.voicebridge.testkit.http.PathVariants;
import dev.voicebridge.testkit.http.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * A catalogue of hostile HTTP requests any of our HTTP ports meets: oversized request lines and
 * header sections, unparseable HTTP, bad methods, path tricks, unknown paths, noise, declared
 * bodies above the server's limit and clients that hang up half way. Each attack knows the
 * problem codes a voicebridge Helidon service answers it with (their documented HTTP-layer codes:
 * {@code malformed-request}, {@code uri-too-long}, ...), so a test checks the specific refusal, not
 * just "some error". {@link SignalingAttacks} adds the webhook and call-API attacks of
 * signaling-service. Deterministic for a seed.
 */
public final class HostileRequests {
    /**
     * One hostile request: how to send it and the codes that are a correct answer; none means no
     * answer is expected (the client leaves first). {@code send} returns null for those.
     */
    public record Attack(String kind, Function<RawHttp, RawHttp.Reply> send, Set<String> codes) {
        public boolean answerExpected() {
            return !codes.isEmpty();
        }
    }

    /** The refusals of unparseable HTTP: the request ({@code %s} is a path) and its codes. */
    private static final List<String[]> GARBAGE = List.of(
            new String[] {"\u0001\u0002\u0003 / HTTP/1.1\r\nHost: x", "malformed-request"},
            new String[] {"GET %s HTTP/1.0\r\nHost: x", "http-version-not-supported"},
            new String[] {"GET %s HTTP/9.9\r\nHost: x", "malformed-request", "http-version-not-supported"},
            new String[] {"GET /health ready HTTP/1.1\r\nHost: x", "malformed-request"},
            new String[] {"GET\r\nHost: x", "malformed-request"},
            new String[] {"GET %s HTTP/1.1\r\nHost: x\r\nBad Header: y", "malformed-request"},
            new String[] {"GET %s HTTP/1.1\r\nHost: x\r\nno-colon-here", "malformed-request"},
            new String[] {"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: abc", "malformed-request"},
            new String[] {"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: -5", "malformed-request"},
            new String[] {"GET %s HTTP/1.1\r\nHost: x\r\nX-Ctl: a\u0000b", "malformed-request"},
            new String[] {"GET /%%zz HTTP/1.1\r\nHost: x", "malformed-request", "not-found"},
            new String[] {"GET %s HTTP/1.1", "malformed-request"});

    private final Random random;
    private final List<Attack> attacks = new ArrayList<>();

    public HostileRequests(long seed) {
        this.random = new Random(seed);
    }

    public List<Attack> attacks() {
        return List.copyOf(attacks);
    }

    Random random() {
        return random;
    }

    /**
     * At least {@code answered} attacks that expect an answer, plus clients that give up half way,
     * at a health and metrics port that serves GET on {@code paths} and nothing else.
     */
    public static List<Attack> operational(List<String> paths, int answered, long seed) {
        var catalogue = new HostileRequests(seed);
        for (int round = 0; catalogue.answered() < answered; round++) {
            String path = paths.get(round % paths.size());
            catalogue.oversizedRequestLines(path, 4);
            catalogue.oversizedHeaders(path, 4);
            catalogue.badMethods(path, 1);
            catalogue.unparseable(List.of(path), GARBAGE.size());
            catalogue.unknownPaths(8);
            catalogue.noise(4);
            catalogue.declaredBodyAboveLimit(path, 2, 3_000_000L);
            if (round < paths.size()) {
                catalogue.pathTricks(path, "PUT");
                catalogue.pathTricks(path, "POST");
            }
            catalogue.aborted(path, 2);
        }
        return catalogue.attacks();
    }

    long answered() {
        return attacks.stream().filter(Attack::answerExpected).count();
    }

    void add(String kind, Function<RawHttp, RawHttp.Reply> send, String... codes) {
        attacks.add(new Attack(kind, send, Set.of(codes)));
    }

    void request(String kind, String method, String path, Map<String, String> headers, byte[] body, String... codes) {
        add(kind, raw -> raw.request(method, path, headers, body), codes);
    }

    /** A request line of 5 to 8 KB: above every server's limit (4 KiB). */
    HostileRequests oversizedRequestLines(String path, int n) {
        for (int i = 0; i < n; i++) {
            String line = path + "?q=" + "a".repeat(5_000 + random.nextInt(3_000));
            request("oversized request line", "GET", line, Map.of(), new byte[0], "uri-too-long");
        }
        return this;
    }

    /** Header sections of 20 to 40 KB, as one header or as 1,500 small ones (limit 16 KiB). */
    HostileRequests oversizedHeaders(String path, int n) {
        for (int i = 0; i < n; i++) {
            var headers = new LinkedHashMap<String, String>();
            if (i % 2 == 0) {
                headers.put("X-Big", "b".repeat(20_000 + random.nextInt(20_000)));
            } else {
                for (int h = 0; h < 1_500; h++) {
                    headers.put("X-H" + h, "value-" + h);
                }
            }
            request("oversized header section", "GET", path, headers, new byte[0], "headers-too-large");
        }
        return this;
    }

    /** Every method but GET on an endpoint that serves only GET, with a small body. */
    HostileRequests badMethods(String path, int perMethod) {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "TRACE", "FOO")) {
            for (int i = 0; i < perMethod; i++) {
                request(
                        "bad method on an operational endpoint",
                        method,
                        path,
                        Map.of(),
                        utf8("{}"),
                        "not-found",
                        "method-not-allowed");
            }
        }
        return this;
    }

    /** Request lines and headers no HTTP/1.1 parser may accept, with {@code paths} in turn. */
    HostileRequests unparseable(List<String> paths, int n) {
        for (int i = 0; i < n; i++) {
            String[] g = GARBAGE.get(i % GARBAGE.size());
            String head = g[0].formatted(paths.get(i % paths.size())) + "\r\nConnection: close";
            String[] codes = Arrays.copyOfRange(g, 1, g.length);
            add("unparseable HTTP", raw -> raw.send(head, new byte[0]), codes);
        }
        return this;
    }

    /**
     * Every spelling of {@code path} ({@link PathVariants}) with a method it does not serve: each
     * answer must be a refusal, whichever resource the router makes of the spelling.
     */
    HostileRequests pathTricks(String path, String method, String... alsoAllowed) {
        String[] codes = new String[3 + alsoAllowed.length];
        codes[0] = "not-found";
        codes[1] = "method-not-allowed";
        codes[2] = "malformed-request";
        System.arraycopy(alsoAllowed, 0, codes, 3, alsoAllowed.length);
        for (String variant : PathVariants.of(path)) {
            add("path trick, bad method", raw -> raw.request(method, variant, Map.of(), utf8("{}")), codes);
        }
        return this;
    }

    /** GET of paths nothing serves. */
    HostileRequests unknownPaths(int n) {
        for (int i = 0; i < n; i++) {
            String path = "/" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "/"
                    + (i % 3 == 0 ? "..%2f..%2fetc%2fpasswd" : "x" + i);
            request("unknown path", "GET", path, Map.of(), new byte[0], "not-found", "malformed-request");
        }
        return this;
    }

    /** Random bytes instead of a request, ended by a blank line. */
    HostileRequests noise(int n) {
        for (int i = 0; i < n; i++) {
            byte[] noise = new byte[1 + random.nextInt(1_500)];
            random.nextBytes(noise);
            for (int b = 0; b < noise.length; b++) {
                if (noise[b] == '\r' || noise[b] == '\n') {
                    noise[b] = 'x';
                }
            }
            byte[] request = concat(noise, utf8("\r\n\r\n"));
            add(
                    "noise",
                    raw -> raw.exchange(request, true, Duration.ofSeconds(20)),
                    "malformed-request",
                    "uri-too-long",
                    "http-version-not-supported");
        }
        return this;
    }

    /** A Content-Length above the server's max-payload-size ({@code above} bytes or more). */
    HostileRequests declaredBodyAboveLimit(String path, int n, long above) {
        for (int i = 0; i < n; i++) {
            long declared = above + random.nextInt(1_000_000_000);
            byte[] request =
                    head("POST", path, "Content-Type: application/json\r\nContent-Length: " + declared, utf8("{"));
            add(
                    "Content-Length above the server limit",
                    raw -> raw.exchange(request, false, Duration.ofSeconds(20)),
                    "body-too-large");
        }
        return this;
    }

    /** Clients that reset their connection in the middle of their headers or body. */
    HostileRequests aborted(String path, int n) {
        for (int i = 0; i < n; i++) {
            byte[] partial = i % 2 == 0
                    ? utf8("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{\"entry\":[")
                    : utf8("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthor");
            add("connection reset mid-request", raw -> {
                raw.abort(partial, Duration.ofMillis(20));
                return null;
            });
        }
        return this;
    }

    /** Request line, Host, {@code headers} (CRLF-separated, no trailing CRLF), blank line, body. */
    public static byte[] head(String method, String path, String headers, byte[] body) {
        return concat(utf8(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n\r\n"), body);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }
}
