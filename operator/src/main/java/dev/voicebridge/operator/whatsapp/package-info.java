/** WhatsApp Cloud API call actions: Graph client, error mapping, retry policy, access-token lookup. */
package dev.voicebridge.operator.whatsapp;
