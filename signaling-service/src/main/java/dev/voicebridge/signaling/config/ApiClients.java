package dev.voicebridge.signaling.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the call API's clients: the clients file (YAML or JSON, typically a mounted Secret) and
 * the single legacy token, which becomes the client {@value #LEGACY_NAME} with every operation on
 * every call. Anything doubtful (unknown key, unknown operation, empty scope, a name or token used
 * twice) stops the service at start: a typo must not silently widen or narrow access. Messages
 * name the file and the client, never a token.
 */
public final class ApiClients {
    public static final String LEGACY_NAME = "default";
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-fA-F]{64}$");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ApiClients() {}

    /** The clients file's shape. */
    record ClientsFile(List<Entry> clients) {}

    record Entry(
            String name,
            String token,
            String tokenSha256,
            List<String> operations,
            List<String> agents,
            List<String> phoneNumberIds) {}

    /** All clients: the legacy token's (when set) and the file's (when given). */
    public static List<ApiClient> load(SecretValue legacyToken, String fileLabel, byte[] fileContent) {
        List<ApiClient> clients = new ArrayList<>();
        if (!legacyToken.isEmpty()) {
            clients.add(new ApiClient(
                    LEGACY_NAME,
                    sha256(legacyToken.bytes()),
                    EnumSet.allOf(CallOperation.class),
                    Set.of(ApiClient.ANY),
                    Set.of(ApiClient.ANY)));
        }
        if (fileContent != null) {
            clients.addAll(parse(fileLabel, fileContent));
        }
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (ApiClient client : clients) {
            if (!names.add(client.name())) {
                throw invalid(
                        fileLabel,
                        client.name(),
                        "the name is used twice (\"" + LEGACY_NAME
                                + "\" is taken by voicebridge.api.token when that is set)");
            }
            if (!digests.add(HexFormat.of().formatHex(client.tokenSha256()))) {
                throw invalid(fileLabel, client.name(), "its token is also another client's token");
            }
        }
        return List.copyOf(clients);
    }

    static List<ApiClient> parse(String fileLabel, byte[] content) {
        ClientsFile file;
        try {
            file = YAML.readValue(content, ClientsFile.class);
        } catch (JsonMappingException e) {
            // The location and the field name, never the offending value (it may be a token).
            throw new IllegalStateException(fileLabel + ": not a clients file (" + e.getPathReference() + ", line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (IOException e) {
            throw new IllegalStateException(fileLabel + ": not valid YAML or JSON");
        }
        if (file == null || file.clients() == null) {
            throw new IllegalStateException(fileLabel + ": needs a top-level \"clients\" list");
        }
        List<ApiClient> clients = new ArrayList<>();
        for (int i = 0; i < file.clients().size(); i++) {
            clients.add(client(fileLabel, i, file.clients().get(i)));
        }
        return clients;
    }

    private static ApiClient client(String fileLabel, int index, Entry entry) {
        String label = entry == null || entry.name() == null ? "#" + (index + 1) : entry.name();
        if (entry == null || entry.name() == null || !NAME.matcher(entry.name()).matches()) {
            throw invalid(fileLabel, label, "name must be a DNS label (a-z, 0-9, -; at most 63)");
        }
        byte[] digest;
        if ((entry.token() == null) == (entry.tokenSha256() == null)) {
            throw invalid(fileLabel, label, "give exactly one of token and tokenSha256");
        } else if (entry.token() != null) {
            if (entry.token().isBlank()) {
                throw invalid(fileLabel, label, "token is empty");
            }
            digest = sha256(entry.token().getBytes(StandardCharsets.UTF_8));
        } else {
            if (!SHA256_HEX.matcher(entry.tokenSha256()).matches()) {
                throw invalid(fileLabel, label, "tokenSha256 must be 64 hex digits");
            }
            digest = HexFormat.of().parseHex(entry.tokenSha256().toLowerCase(java.util.Locale.ROOT));
        }
        Set<CallOperation> operations = EnumSet.noneOf(CallOperation.class);
        for (String op : nonEmpty(fileLabel, label, "operations", entry.operations())) {
            if (op.equals(ApiClient.ANY)) {
                operations.addAll(EnumSet.allOf(CallOperation.class));
            } else {
                operations.add(CallOperation.parse(op)
                        .orElseThrow(() -> invalid(
                                fileLabel,
                                label,
                                "unknown operation \"" + op + "\" (create, list, read, accept, hangup, *)")));
            }
        }
        return new ApiClient(
                entry.name(),
                digest,
                operations,
                Set.copyOf(nonEmpty(fileLabel, label, "agents", entry.agents())),
                Set.copyOf(nonEmpty(fileLabel, label, "phoneNumberIds", entry.phoneNumberIds())));
    }

    private static List<String> nonEmpty(String fileLabel, String label, String field, List<String> values) {
        if (values == null || values.isEmpty()) {
            throw invalid(fileLabel, label, field + " must list at least one value (\"*\" for any)");
        }
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw invalid(fileLabel, label, field + " holds an empty value");
            }
        }
        return values;
    }

    private static IllegalStateException invalid(String fileLabel, String client, String why) {
        return new IllegalStateException(fileLabel + ": client " + client + ": " + why);
    }

    public static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
