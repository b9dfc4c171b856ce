package dev.voicebridge.api.v1alpha1;

/** Who placed the call: the WhatsApp user (inbound) or the business (outbound). */
public enum CallDirection {
    inbound,
    outbound
}
