package dev.voicebridge.api.v1alpha1;

/** How the call reached voicebridge. Lower case: these are the wire values. */
public enum CallSource {
    whatsapp,
    api
}
