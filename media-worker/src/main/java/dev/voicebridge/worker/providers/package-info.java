/**
 * The choice of model adapter per call ({@link dev.voicebridge.worker.providers.ModelProviders}):
 * the only place that knows every adapter of the {@link dev.voicebridge.worker.model} port.
 */
package dev.voicebridge.worker.providers;
