/** The VoiceCall state machine: pure decisions ({@link dev.voicebridge.operator.lifecycle.CallDecider}) and the steps that record them in status before acting. */
package dev.voicebridge.operator.lifecycle;
