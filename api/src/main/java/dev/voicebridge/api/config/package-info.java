/**
 * Configuration shared by every service: one typed key ({@link dev.voicebridge.api.config.Setting})
 * and one duration syntax ({@link dev.voicebridge.api.config.Durations}).
 */
package dev.voicebridge.api.config;
