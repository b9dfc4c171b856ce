/** Fake WhatsApp Graph API (call actions) over real HTTP on loopback, for tests. */
package dev.voicebridge.testkit.graph;
