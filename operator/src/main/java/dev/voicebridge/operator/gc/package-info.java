/** Retention of ended calls: the final status record logged before deletion. */
package dev.voicebridge.operator.gc;
