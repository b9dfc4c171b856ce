package dev.voicebridge.operator.registry;

import dev.voicebridge.api.v1alpha1.VoiceCall;
import java.util.Optional;

/**
 * What placement reads of the informer's calls, without walking them: ended calls stay cached for
 * the whole retention (a day by default), so anything that visits every cached call grows with the
 * history, not with the calls running.
 */
public interface CachedCalls {
    /** Calls of {@code namespace} not ended that the cache shows assigned to {@code worker}. */
    int running(String namespace, String worker);

    /** The cached copy of a call; empty once it is deleted. */
    Optional<VoiceCall> get(String namespace, String name);
}
