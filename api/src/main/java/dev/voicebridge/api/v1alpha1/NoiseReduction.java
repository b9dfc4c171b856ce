package dev.voicebridge.api.v1alpha1;

/** Realtime input noise reduction. A phone held to the ear is near_field. */
public enum NoiseReduction {
    near_field,
    far_field,
    none
}
