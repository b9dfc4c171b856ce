/** The VoiceCall operator: assembly ({@link dev.voicebridge.operator.VoiceBridgeOperator}) and entry point. See docs/operator.md. */
package dev.voicebridge.operator;
