/**
 * The log-line format all three services share: one line per event, {@code event=} first, then
 * {@code key=value} fields with the same names everywhere ({@code call=} the VoiceCall's resource
 * name), and the lifecycle steps of a call ({@link CallStep}), so one call can be followed through
 * {@code kubectl logs} of signaling-service, operator and media worker. Each service's
 * {@code logging.properties} prefixes {@code time= level= logger=}.
 */
package dev.voicebridge.api.log;
