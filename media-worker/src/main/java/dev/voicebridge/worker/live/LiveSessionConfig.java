package dev.voicebridge.worker.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * What {@code session.start} fixes for a GPT-Live session's whole life: the model, the
 * conversation instructions, the voice, where delegated work goes and the text history the session
 * starts from (the only way to seed a new session with an earlier conversation). Audio is always
 * PCM16 mono at 24 kHz, the worker's media rate. Model, instructions, voice, history and the
 * delegation mode cannot change after startup; a change needs a new session.
 *
 * @param voice a built-in voice name; null leaves the service default ({@code marin})
 * @param instructions null or blank uses the service defaults
 */
public record LiveSessionConfig(
        String model, String instructions, String voice, Delegation delegation, List<HistoryMessage> history) {

    /** The service accepts at most this many startup history messages. */
    public static final int MAX_HISTORY = 128;

    public LiveSessionConfig {
        Objects.requireNonNull(model, "model");
        delegation = delegation == null ? new Delegation.Client() : delegation;
        history = history == null ? List.of() : List.copyOf(history);
        if (history.size() > MAX_HISTORY) {
            throw new IllegalArgumentException(
                    "GPT-Live takes at most " + MAX_HISTORY + " history messages, got " + history.size());
        }
    }

    /** Who handles the work the voice model delegates. */
    public sealed interface Delegation {
        /** The application: {@code session.delegation.created} carries only an id; answer with appends. */
        record Client() implements Delegation {}

        /**
         * A Responses model the session drives. Function tools come back to us as function calls
         * inside {@code response.event}; their results go back with {@code response.item.create} and
         * {@code response.create}.
         *
         * @param model the backend Responses model (required by the service)
         * @param instructions the backend prompt, separate from the voice instructions; nullable
         * @param toolChoice {@code auto}, {@code required} or {@code none}; null leaves the default
         */
        record Responses(String model, String instructions, List<FunctionTool> tools, String toolChoice)
                implements Delegation {
            public Responses {
                Objects.requireNonNull(model, "Responses delegation needs a backend model");
                tools = tools == null ? List.of() : List.copyOf(tools);
            }
        }
    }

    /** A function the backend model may call; {@code parameters} is a JSON Schema object (nullable). */
    public record FunctionTool(String name, String description, JsonNode parameters) {}

    /** One text message of startup history. */
    public record HistoryMessage(Role role, String text) {
        public enum Role {
            DEVELOPER,
            USER,
            ASSISTANT
        }
    }
}
