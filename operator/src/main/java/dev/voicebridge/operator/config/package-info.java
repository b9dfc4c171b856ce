/** Typed configuration: every key, its default and meaning in {@link dev.voicebridge.operator.config.ConfigKey}. */
package dev.voicebridge.operator.config;
