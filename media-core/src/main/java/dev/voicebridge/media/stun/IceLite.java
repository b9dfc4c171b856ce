package dev.voicebridge.media.stun;

import java.net.InetSocketAddress;

/**
 * An ICE-lite agent's whole part in connectivity checks (RFC 8445 §2.5, §7.3): it never checks, it
 * answers authentic binding requests and takes the pair the controlling side nominates. WhatsApp
 * is such an agent; so are the test phones and the worker's start-up self-call that play it.
 */
public final class IceLite {
    private IceLite() {}

    /**
     * The success response to a binding request whose USERNAME starts with our ufrag and whose
     * MESSAGE-INTEGRITY verifies with our password, with the request's source as
     * XOR-MAPPED-ADDRESS; null for any other request (not answered: no reflection of spoofed
     * sources).
     */
    public static byte[] answer(
            StunMessage request, String localUfrag, byte[] localPasswordKey, InetSocketAddress from) {
        if (request.type() != StunMessage.BINDING_REQUEST
                || request.username() == null
                || !request.username().startsWith(localUfrag + ":")
                || !request.verifyIntegrity(localPasswordKey)) {
            return null;
        }
        return StunMessage.builder(StunMessage.BINDING_SUCCESS, request.transactionId())
                .xorMappedAddress(from)
                .encode(localPasswordKey);
    }
}
