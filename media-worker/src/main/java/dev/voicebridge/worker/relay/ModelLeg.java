package dev.voicebridge.worker.relay;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.sdp.SdpRejectedException;
import dev.voicebridge.worker.webrtc.CallTransport;
import dev.voicebridge.worker.webrtc.TransportListener;
import dev.voicebridge.worker.webrtc.WebRtcHost;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The model's side of a relayed call: a transport of ours that offers from a UDP socket of its
 * own ({@link WebRtcHost#createModelLeg}), the offer posted to
 * OpenAI's calls endpoint ({@link RealtimeCallClient}, {@link LiveCallClient}), the model's answer applied (ICE and DTLS then start, in the role the
 * answer leaves us: OpenAI answers {@code active}, so we serve DTLS). The leg sends nothing until
 * {@link CallTransport#markAccepted()}: the call's owner accepts it when the model may hear the
 * caller.
 *
 * @param transport the leg's transport
 * @param callId the model's id of the call, which its sideband joins
 */
public record ModelLeg(CallTransport transport, String callId) {

    /** The worker could not bind a socket for the leg (out of ports or descriptors, port failed). */
    public static final class NoSocketException extends IOException {
        NoSocketException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The transport's name for the model leg of {@code call}. */
    public static String transportName(String call) {
        return call + "-model";
    }

    /**
     * Opens the model leg of {@code call}, whose media handler is {@code relay}'s model leg.
     *
     * @param sessionJson the Realtime session's configuration for the call's creation; null for none
     * @return completes once the answer is applied; exceptionally (and the transport ended with
     *     {@code AgentUnavailable}) when OpenAI refused, answered with an unusable SDP, or was not
     *     reached
     */
    public static CompletableFuture<ModelLeg> open(
            WebRtcHost host,
            ModelCalls calls,
            String call,
            OpusRelay relay,
            String sessionJson,
            TransportListener listener) {
        CallTransport transport;
        try {
            transport = host.createModelLeg(transportName(call), relay.modelLeg(), listener);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new NoSocketException(e));
        }
        CompletableFuture<ModelLeg> opened;
        try {
            opened = calls.create(transport.offer(), sessionJson).thenApply(created -> {
                try {
                    transport.applyAnswer(created.answerSdp());
                } catch (SdpRejectedException e) {
                    throw new ModelCallRefusedException(0, "unusable-answer", e.getMessage());
                }
                return new ModelLeg(transport, created.callId());
            });
        } catch (RuntimeException e) {
            opened = CompletableFuture.failedFuture(e);
        }
        return opened.whenComplete((leg, failure) -> {
            if (failure != null) {
                transport.hangup(EndReason.AgentUnavailable);
            }
        });
    }
}
