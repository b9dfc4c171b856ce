/** Kubernetes Events with reasons from one enum. */
package dev.voicebridge.operator.events;
