package dev.voicebridge.operator.whatsapp;

/**
 * The Graph API call actions the operator performs (developers.facebook.com,
 * business-messaging/whatsapp/calling: reference and business-initiated-calls).
 */
public enum CallAction {
    PRE_ACCEPT("pre_accept", "answer"),
    ACCEPT("accept", "answer"),
    REJECT("reject", null),
    TERMINATE("terminate", null),
    /** Business-initiated: starts a call to a user with our offer; WhatsApp answers by webhook. */
    CONNECT("connect", "offer"),
    /**
     * Not a call action: the interactive {@code call_permission_request} message ({@code POST
     * /{phone-number-id}/messages}) sent to a user who has not granted call permission. Listed here
     * so it goes through the same write-ahead record, retries, metrics and spans.
     */
    PERMISSION_REQUEST("call_permission_request", null);

    private final String wireName;
    private final String sdpType;

    CallAction(String wireName, String sdpType) {
        this.wireName = wireName;
        this.sdpType = sdpType;
    }

    public String wireName() {
        return wireName;
    }

    /** pre_accept and accept carry {@code session: {sdp_type: "answer", sdp}}, connect an offer. */
    public boolean carriesSdp() {
        return sdpType != null;
    }

    /** {@code session.sdp_type}: answer, offer, or null for an action without SDP. */
    public String sdpType() {
        return sdpType;
    }
}
