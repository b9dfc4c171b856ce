/** Media workers from their pods, and worker load counted from call assignments plus in-flight reservations. */
package dev.voicebridge.operator.registry;
