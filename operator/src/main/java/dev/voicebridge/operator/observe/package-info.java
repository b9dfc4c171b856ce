/** Health and Prometheus metrics over the JDK HTTP server. */
package dev.voicebridge.operator.observe;
