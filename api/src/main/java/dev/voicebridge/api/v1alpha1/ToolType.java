package dev.voicebridge.api.v1alpha1;

/** Kinds of agent tools. */
public enum ToolType {
    /** Implemented by voicebridge itself: {@code end_call}. */
    builtin,
    /** The worker POSTs the JSON arguments to a URL and returns the response to the model. */
    http
}
