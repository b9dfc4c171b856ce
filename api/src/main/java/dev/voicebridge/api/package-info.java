/**
 * The contract between voicebridge's services: the {@code VoiceCall} and {@code VoiceAgent}
 * resources ({@link dev.voicebridge.api.v1alpha1}), resource naming and shared keys. This module
 * depends on the Fabric8 model only, never on a client.
 */
package dev.voicebridge.api;
