package dev.voicebridge.api.log;

import java.util.Arrays;

/**
 * The lifecycle of one call as log events, each written exactly once per call by the service that
 * sees it happen: signaling-service receives it; the operator places it on a worker and records
 * its end (with the reason, also for calls no worker took); the media worker answers it, learns
 * that it was accepted, connects ICE and DTLS-SRTP, and sends the first media packet (which
 * WhatsApp takes as the answer). {@code grep call=wa-…} over the three services' logs reads the call
 * from first to last step.
 */
public enum CallStep {
    RECEIVED("call.received"),
    ASSIGNED("call.assigned"),
    ANSWERED("call.answered"),
    ACCEPTED("call.accepted"),
    ICE_CONNECTED("call.ice-connected"),
    DTLS_CONNECTED("call.dtls-connected"),
    FIRST_AUDIO_OUT("call.first-audio-out"),
    ENDED("call.ended");

    private final String event;

    CallStep(String event) {
        this.event = event;
    }

    public String event() {
        return event;
    }

    /** The step's line: {@code event=call.… call=NAME} and the given pairs. */
    public String line(String call, Object... pairs) {
        Object[] all = new Object[pairs.length + 2];
        all[0] = LogLine.CALL;
        all[1] = call;
        System.arraycopy(pairs, 0, all, 2, pairs.length);
        return LogLine.of(event, all);
    }

    /** The step a line's event names, if it is one. */
    public static java.util.Optional<CallStep> ofEvent(String event) {
        return Arrays.stream(values()).filter(s -> s.event.equals(event)).findFirst();
    }
}
