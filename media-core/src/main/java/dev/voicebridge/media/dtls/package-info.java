/**
 * DTLS 1.2 for DTLS-SRTP (RFC 5763/5764) on BouncyCastle: the worker's client role, the test
 * phones' server role, ECDSA P-256 identities, fingerprint verification (fail closed) and SRTP key
 * export, over a pluggable datagram transport fed by the ICE socket's receive loop.
 */
package dev.voicebridge.media.dtls;
