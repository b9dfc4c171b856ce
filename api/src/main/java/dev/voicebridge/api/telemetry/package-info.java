/** OpenTelemetry as every service starts it ({@link dev.voicebridge.api.telemetry.Telemetry}). */
package dev.voicebridge.api.telemetry;
