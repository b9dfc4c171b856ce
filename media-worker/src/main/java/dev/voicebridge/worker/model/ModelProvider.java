package dev.voicebridge.worker.model;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The port the call agent drives a voice model through, one implementation per API (the Realtime
 * API, GPT-Live, the embedded local agent). Adding a provider is an adapter and an entry in
 * {@link dev.voicebridge.api.agent.ModelApis}; the agent does not change.
 */
public interface ModelProvider {

    /** The API's name as {@code status.agent.api} shows it: realtime, live or embedded. */
    String api();

    Capabilities capabilities();

    /**
     * Opens a session and returns it at once; connecting runs in the background. Everything that
     * follows, {@link ModelEvent.Ready} first or {@link ModelEvent.Closed} when it fails, is
     * delivered to {@code events} on {@code owner}, where the adapter also keeps its own state (the
     * transport's threads only enqueue onto it).
     *
     * @param owner a serial executor: the call agent's owner thread
     */
    ModelSession open(SessionSpec spec, Executor owner, Consumer<ModelEvent> events);
}
