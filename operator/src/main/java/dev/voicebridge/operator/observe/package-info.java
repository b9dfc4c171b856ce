/** Health and Prometheus metrics over the JDK HTTP server; the call spans and their OpenTelemetry SDK. */
package dev.voicebridge.operator.observe;
