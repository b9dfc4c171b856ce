/**
 * Shared rules for writing VoiceCall status from any service. Only rules that more than one writer
 * must apply identically live here; each service patches its own status parts itself.
 */
package dev.voicebridge.api.status;
