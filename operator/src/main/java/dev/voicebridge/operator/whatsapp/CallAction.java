package dev.voicebridge.operator.whatsapp;

/** The Graph API call actions the operator performs (docs/protocols.md, "Call actions"). */
public enum CallAction {
    PRE_ACCEPT("pre_accept", true),
    ACCEPT("accept", true),
    REJECT("reject", false),
    TERMINATE("terminate", false);

    private final String wireName;
    private final boolean carriesAnswer;

    CallAction(String wireName, boolean carriesAnswer) {
        this.wireName = wireName;
        this.carriesAnswer = carriesAnswer;
    }

    public String wireName() {
        return wireName;
    }

    /** pre_accept and accept carry {@code session: {sdp_type: "answer", sdp}}. */
    public boolean carriesAnswer() {
        return carriesAnswer;
    }
}
