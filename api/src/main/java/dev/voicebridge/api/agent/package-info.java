/**
 * What a VoiceAgent may say, without a Kubernetes client: the catalogue of voice APIs, their
 * models and list prices ({@link dev.voicebridge.api.agent.ModelApis}), and the validation the
 * operator reports on the agent's status and the media worker repeats before answering a call
 * ({@link dev.voicebridge.api.agent.AgentValidation}).
 */
package dev.voicebridge.api.agent;
