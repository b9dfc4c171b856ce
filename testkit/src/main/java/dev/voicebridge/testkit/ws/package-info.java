/**
 * A small RFC 6455 WebSocket server for the fake model services: {@link
 * dev.voicebridge.testkit.ws.FakeWebSocketHost} accepts upgrades on one path and hands each
 * connection to a {@link dev.voicebridge.testkit.ws.WsListener}, which answers through its {@link
 * dev.voicebridge.testkit.ws.WsConnection}.
 */
package dev.voicebridge.testkit.ws;
