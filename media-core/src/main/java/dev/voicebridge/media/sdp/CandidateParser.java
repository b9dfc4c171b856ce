package dev.voicebridge.media.sdp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** RFC 8839 section 5.1 candidate-attribute grammar. */
final class CandidateParser {
    private CandidateParser() {}

    static IceCandidate parse(Line line) throws SdpRejectedException {
        String[] f = line.attributeValue().trim().split(" +");
        if (f.length < 8 || !f[6].equalsIgnoreCase("typ")) {
            throw bad(line, "expected '<foundation> <component> <transport> <priority> <address> <port> typ <type>'");
        }
        try {
            int component = Integer.parseInt(f[1]);
            long priority = Long.parseLong(f[3]);
            int port = Integer.parseInt(f[5]);
            if (component < 1
                    || component > 256
                    || priority < 0
                    || priority > 0xFFFFFFFFL
                    || port < 0
                    || port > 65535) {
                throw bad(line, "component, priority or port out of range");
            }
            Optional<String> raddr = Optional.empty();
            Optional<Integer> rport = Optional.empty();
            Map<String, String> ext = new LinkedHashMap<>();
            for (int i = 8; i + 1 < f.length; i += 2) {
                switch (f[i]) {
                    case "raddr" -> raddr = Optional.of(f[i + 1]);
                    case "rport" -> rport = Optional.of(Integer.parseInt(f[i + 1]));
                    default -> ext.put(f[i], f[i + 1]);
                }
            }
            return new IceCandidate(f[0], component, f[2], priority, f[4], port, f[7], raddr, rport, ext);
        } catch (NumberFormatException e) {
            throw bad(line, "non-numeric component, priority or port");
        }
    }

    private static SdpRejectedException bad(Line line, String why) {
        return new SdpRejectedException(SdpRejection.BAD_CANDIDATE, line.describe() + ": " + why);
    }
}
