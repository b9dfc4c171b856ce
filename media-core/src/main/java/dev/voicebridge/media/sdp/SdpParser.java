package dev.voicebridge.media.sdp;

import dev.voicebridge.media.dtls.Fingerprint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a remote offer, or the remote answer to our offer (RFC 8866 syntax, WebRTC profile per RFC 8829/8839/8843) into an {@link
 * SdpOffer}, or refuses it with an {@link SdpRejectedException} naming the offending line.
 *
 * <p>Tolerant where real peers differ (CRLF or bare LF, blank lines, unknown attributes, extmap,
 * several payload types, session- or media-level ICE/DTLS attributes, IPv6 and mDNS candidates),
 * strict where a wrong guess would break the call (protocol, Opus, fingerprint, ICE credentials).
 * Stateless and thread-safe.
 */
public final class SdpParser {
    /** Refuse anything bigger: real audio offers are 1–3 KiB; this bounds parser work per webhook. */
    public static final int MAX_OFFER_BYTES = 64 * 1024;

    private static final String WEBRTC_PROTOCOL = "UDP/TLS/RTP/SAVPF";

    public SdpOffer parse(String sdp) throws SdpRejectedException {
        Parsed parsed = parse(sdp, false);
        return new SdpOffer(parsed.sessionId(), parsed.iceLite(), parsed.bundleMids(), parsed.audio());
    }

    /**
     * Parses the remote answer to an offer we made (a business-initiated call): the same grammar
     * and checks, but the DTLS role rule of an answerer (RFC 8842 section 5.3): {@code active}
     * (the peer is the DTLS client, we serve) or {@code passive} (we are the client). An answer
     * that says {@code actpass}, which an answerer must not, is read as {@code passive}: the role
     * WhatsApp takes on its own offers, so we stay the DTLS client, our well-trodden path.
     */
    public SdpAnswer parseAnswer(String sdp) throws SdpRejectedException {
        Parsed parsed = parse(sdp, true);
        return new SdpAnswer(parsed.sessionId(), parsed.iceLite(), parsed.bundleMids(), parsed.audio());
    }

    private record Parsed(String sessionId, boolean iceLite, List<String> bundleMids, AudioMedia audio) {}

    private Parsed parse(String sdp, boolean answer) throws SdpRejectedException {
        if (sdp == null || sdp.isBlank()) {
            throw new SdpRejectedException(SdpRejection.MALFORMED, "empty SDP");
        }
        if (sdp.length() > MAX_OFFER_BYTES || sdp.getBytes(StandardCharsets.UTF_8).length > MAX_OFFER_BYTES) {
            throw new SdpRejectedException(
                    SdpRejection.OVERSIZE,
                    "SDP larger than " + MAX_OFFER_BYTES + " bytes (" + sdp.length() + " chars)");
        }
        List<Line> lines = split(sdp);
        if (lines.isEmpty() || lines.getFirst().type() != 'v') {
            throw new SdpRejectedException(SdpRejection.MALFORMED, "line 1: SDP must start with v=");
        }

        var session = new Section(null);
        var sections = new ArrayList<Section>();
        Section current = session;
        String sessionId = "";
        for (Line line : lines) {
            switch (line.type()) {
                case 'm' -> {
                    current = new Section(line);
                    sections.add(current);
                }
                case 'o' -> {
                    String[] f = line.value().split(" ");
                    if (f.length < 6) {
                        throw new SdpRejectedException(SdpRejection.MALFORMED, line.describe() + ": o= needs 6 fields");
                    }
                    sessionId = f[1];
                }
                case 'a' -> current.attributes.add(line);
                default -> {
                    // v, s, t, c, b, i, u, e, p, z, k, r: nothing we act on.
                }
            }
        }

        Section audioSection = null;
        for (Section s : sections) {
            String[] m = s.media.value().split(" +");
            if (m.length >= 3 && m[0].equalsIgnoreCase("audio") && !m[1].equals("0")) {
                audioSection = s;
                break;
            }
        }
        if (audioSection == null) {
            throw new SdpRejectedException(
                    SdpRejection.NO_AUDIO,
                    sections.isEmpty()
                            ? "no m= line"
                            : "no m=audio line with a non-zero port among " + sections.size() + " m= lines");
        }
        boolean iceLite = session.has("ice-lite");
        List<String> bundle = session.first("group")
                .map(g -> g.attributeValue().trim())
                .filter(g -> g.startsWith("BUNDLE"))
                .map(g -> List.of(g.substring("BUNDLE".length()).trim().split(" +")))
                .map(l -> l.stream().filter(x -> !x.isEmpty()).toList())
                .orElse(List.of());
        return new Parsed(sessionId, iceLite, bundle, audio(session, audioSection, answer));
    }

    private static AudioMedia audio(Section session, Section media, boolean answer) throws SdpRejectedException {
        String[] m = media.media.value().trim().split(" +");
        int port = parsePort(m[1].split("/")[0], media.media);
        String protocol = m[2];
        if (!protocol.equalsIgnoreCase(WEBRTC_PROTOCOL)) {
            throw new SdpRejectedException(
                    SdpRejection.UNSUPPORTED_PROTOCOL,
                    media.media.describe() + ": protocol " + protocol + " is not " + WEBRTC_PROTOCOL);
        }
        var payloadTypes = new ArrayList<Integer>();
        for (int i = 3; i < m.length; i++) {
            payloadTypes.add(parsePayloadType(m[i], media.media));
        }

        Map<Integer, String> rtpmaps = new LinkedHashMap<>();
        Map<Integer, String> fmtps = new LinkedHashMap<>();
        for (Line a : media.attributes) {
            String name = a.attributeName();
            if (name.equals("rtpmap") || name.equals("fmtp")) {
                String v = a.attributeValue();
                int sp = v.indexOf(' ');
                if (sp <= 0) {
                    throw new SdpRejectedException(
                            SdpRejection.MALFORMED, a.describe() + ": a=" + name + " needs '<pt> <value>'");
                }
                int pt = parsePayloadType(v.substring(0, sp), a);
                (name.equals("rtpmap") ? rtpmaps : fmtps)
                        .putIfAbsent(pt, v.substring(sp + 1).trim());
            }
        }

        OpusFormat opus = null;
        var telephoneEvents = new ArrayList<TelephoneEventFormat>();
        for (int pt : payloadTypes) {
            String map = rtpmaps.get(pt);
            if (map == null) {
                continue; // static PTs (0, 8, 9, 13) need no rtpmap; none of them is Opus.
            }
            String[] enc = map.split("/");
            String encoding = enc[0].trim().toLowerCase(Locale.ROOT);
            if (opus == null
                    && encoding.equals("opus")
                    && enc.length >= 2
                    && enc[1].trim().equals("48000")) {
                opus = new OpusFormat(pt, fmtpParameters(fmtps.get(pt)));
            } else if (encoding.equals("telephone-event") && enc.length >= 2) {
                try {
                    int rate = Integer.parseInt(enc[1].trim());
                    telephoneEvents.add(new TelephoneEventFormat(pt, rate, fmtps.getOrDefault(pt, "")));
                } catch (NumberFormatException e) {
                    // An unreadable telephone-event clock only costs us DTMF, not the call.
                }
            }
        }
        if (opus == null) {
            throw new SdpRejectedException(
                    SdpRejection.NO_OPUS,
                    media.media.describe() + ": no opus/48000 rtpmap among payload types " + payloadTypes);
        }
        // RFC 4733 section 2.1: telephone-event should share the audio codec's clock; prefer it.
        Optional<TelephoneEventFormat> dtmf = telephoneEvents.stream()
                .filter(t -> t.clockRate() == 48000)
                .findFirst()
                .or(() -> telephoneEvents.stream().findFirst());

        IceCredentials ice = iceCredentials(session, media);
        List<Fingerprint> fingerprints = fingerprints(session, media);
        Setup setup = answer ? answerSetup(session, media) : setup(session, media);
        List<IceCandidate> candidates = new ArrayList<>();
        for (Line a : media.attributes) {
            if (a.attributeName().equals("candidate")) {
                candidates.add(CandidateParser.parse(a));
            }
        }
        Direction direction = Direction.SENDRECV;
        for (Line a : media.attributes) {
            switch (a.attributeName()) {
                case "sendonly" -> direction = Direction.SENDONLY;
                case "recvonly" -> direction = Direction.RECVONLY;
                case "inactive" -> direction = Direction.INACTIVE;
                case "sendrecv" -> direction = Direction.SENDRECV;
                default -> {}
            }
        }
        Optional<Integer> ptime = media.first("ptime").flatMap(a -> parseIntOpt(a.attributeValue()));
        Optional<Line> ssrcLine = media.first("ssrc");
        Optional<Long> ssrc =
                ssrcLine.flatMap(a -> parseLongOpt(a.attributeValue().split(" ")[0]));
        Optional<String> cname = media.attributes.stream()
                .filter(a -> a.attributeName().equals("ssrc"))
                .map(Line::attributeValue)
                .filter(v -> v.contains(" cname:"))
                .map(v -> v.substring(v.indexOf(" cname:") + 7).trim())
                .findFirst();
        return new AudioMedia(
                port,
                protocol,
                payloadTypes,
                media.first("mid").map(Line::attributeValue).map(String::trim),
                ice,
                fingerprints,
                setup,
                media.has("rtcp-mux"),
                direction,
                opus,
                dtmf,
                ptime,
                candidates,
                media.has("end-of-candidates"),
                ssrc,
                cname);
    }

    private static IceCredentials iceCredentials(Section session, Section media) throws SdpRejectedException {
        Optional<Line> ufrag = media.first("ice-ufrag").or(() -> session.first("ice-ufrag"));
        Optional<Line> pwd = media.first("ice-pwd").or(() -> session.first("ice-pwd"));
        if (ufrag.isEmpty() || pwd.isEmpty()) {
            throw new SdpRejectedException(
                    SdpRejection.NO_ICE_CREDENTIALS,
                    media.media.describe() + ": missing a=" + (ufrag.isEmpty() ? "ice-ufrag" : "ice-pwd"));
        }
        String u = ufrag.get().attributeValue().trim();
        String p = pwd.get().attributeValue().trim();
        for (var entry : List.of(Map.entry(ufrag.get(), u), Map.entry(pwd.get(), p))) {
            String v = entry.getValue();
            if (v.isEmpty() || v.length() > 256 || v.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new SdpRejectedException(
                        SdpRejection.NO_ICE_CREDENTIALS,
                        entry.getKey().describe() + ": a=" + entry.getKey().attributeName()
                                + " must be 1-256 visible ASCII characters");
            }
        }
        return new IceCredentials(u, p);
    }

    private static List<Fingerprint> fingerprints(Section session, Section media) throws SdpRejectedException {
        List<Line> lines = media.all("fingerprint");
        if (lines.isEmpty()) {
            lines = session.all("fingerprint");
        }
        if (lines.isEmpty()) {
            throw new SdpRejectedException(
                    SdpRejection.NO_FINGERPRINT,
                    media.media.describe() + ": no a=fingerprint at session or media level");
        }
        var result = new ArrayList<Fingerprint>();
        for (Line line : lines) {
            String[] f = line.attributeValue().trim().split(" +");
            if (f.length != 2 || !Fingerprint.isWellFormedHex(f[1])) {
                throw new SdpRejectedException(
                        SdpRejection.BAD_FINGERPRINT,
                        line.describe() + ": expected 'a=fingerprint:<hash> <XX:XX:...>'");
            }
            String algorithm = f[0].toLowerCase(Locale.ROOT);
            if (Fingerprint.KNOWN_ALGORITHMS.contains(algorithm)) {
                result.add(new Fingerprint(algorithm, f[1]));
            }
        }
        if (result.isEmpty()) {
            throw new SdpRejectedException(
                    SdpRejection.NO_FINGERPRINT,
                    lines.getFirst().describe() + ": no fingerprint with a hash in " + Fingerprint.KNOWN_ALGORITHMS);
        }
        return result;
    }

    private static Setup setup(Section session, Section media) throws SdpRejectedException {
        Optional<Line> line = media.first("setup").or(() -> session.first("setup"));
        if (line.isEmpty()) {
            return Setup.ACTPASS;
        }
        Setup setup = Setup.parse(line.get().attributeValue())
                .orElseThrow(() -> new SdpRejectedException(
                        SdpRejection.BAD_SETUP, line.get().describe() + ": unknown a=setup value"));
        // To an offer we always answer as the DTLS client (a=setup:active, what WhatsApp expects of
        // an answerer), so the offerer must be willing to be the server.
        if (setup != Setup.ACTPASS && setup != Setup.PASSIVE) {
            throw new SdpRejectedException(
                    SdpRejection.BAD_SETUP,
                    line.get().describe() + ": a=setup:" + setup.sdpValue() + " leaves us no DTLS client role");
        }
        return setup;
    }

    private static Setup answerSetup(Section session, Section media) throws SdpRejectedException {
        Optional<Line> line = media.first("setup").or(() -> session.first("setup"));
        if (line.isEmpty()) {
            // RFC 4145 section 4: absent means active; RFC 5763 requires it, so be explicit.
            throw new SdpRejectedException(SdpRejection.BAD_SETUP, "the answer has no a=setup");
        }
        Setup setup = Setup.parse(line.get().attributeValue())
                .orElseThrow(() -> new SdpRejectedException(
                        SdpRejection.BAD_SETUP, line.get().describe() + ": unknown a=setup value"));
        return switch (setup) {
            case ACTIVE, PASSIVE -> setup;
            case ACTPASS -> Setup.PASSIVE;
            case HOLDCONN ->
                throw new SdpRejectedException(
                        SdpRejection.BAD_SETUP, line.get().describe() + ": a=setup:holdconn leaves no DTLS role");
        };
    }

    static Map<String, String> fmtpParameters(String fmtp) {
        Map<String, String> params = new LinkedHashMap<>();
        if (fmtp == null) {
            return params;
        }
        for (String part : fmtp.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                params.put(p.toLowerCase(Locale.ROOT), "");
            } else {
                params.put(
                        p.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                        p.substring(eq + 1).trim());
            }
        }
        return params;
    }

    private static int parsePort(String s, Line line) throws SdpRejectedException {
        try {
            int port = Integer.parseInt(s);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new SdpRejectedException(SdpRejection.MALFORMED, line.describe() + ": bad port '" + s + "'");
        }
    }

    private static int parsePayloadType(String s, Line line) throws SdpRejectedException {
        try {
            int pt = Integer.parseInt(s.trim());
            if (pt < 0 || pt > 127) {
                throw new NumberFormatException();
            }
            return pt;
        } catch (NumberFormatException e) {
            throw new SdpRejectedException(SdpRejection.MALFORMED, line.describe() + ": bad payload type '" + s + "'");
        }
    }

    private static Optional<Integer> parseIntOpt(String s) {
        try {
            return Optional.of(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> parseLongOpt(String s) {
        try {
            return Optional.of(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<Line> split(String sdp) throws SdpRejectedException {
        var lines = new ArrayList<Line>();
        int number = 0;
        for (String raw : sdp.split("\n", -1)) {
            number++;
            String text = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (text.isBlank()) {
                continue;
            }
            if (text.length() < 2 || text.charAt(1) != '=' || !Character.isLetter(text.charAt(0))) {
                throw new SdpRejectedException(
                        SdpRejection.MALFORMED,
                        "line " + number + ": '" + Line.excerpt(text) + "' is not <letter>=<value>");
            }
            lines.add(new Line(number, text.charAt(0), text.substring(2)));
        }
        return lines;
    }

    /** One m= section (or the session section when {@code media} is null) and its a= lines. */
    private static final class Section {
        final Line media;
        final List<Line> attributes = new ArrayList<>();

        Section(Line media) {
            this.media = media;
        }

        Optional<Line> first(String name) {
            return attributes.stream()
                    .filter(a -> a.attributeName().equals(name))
                    .findFirst();
        }

        List<Line> all(String name) {
            return attributes.stream()
                    .filter(a -> a.attributeName().equals(name))
                    .toList();
        }

        boolean has(String name) {
            return first(name).isPresent();
        }
    }
}
