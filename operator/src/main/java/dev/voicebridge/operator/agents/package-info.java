/**
 * VoiceAgent validation: the reconciler that reports each agent's Ready condition on its status,
 * from the pure checks of {@link dev.voicebridge.api.agent.AgentValidation}.
 */
package dev.voicebridge.operator.agents;
