package dev.voicebridge.worker.pipeline;

/**
 * An immutable snapshot of one call's media counters, for status writing and metrics. Counters
 * are cumulative since the call's media started.
 *
 * @param packetsIn RTP packets handed in by the transport (after SRTP), valid or not
 * @param bytesIn their bytes
 * @param malformedIn datagrams that did not parse as RTP/RTCP
 * @param droppedIn packets dropped because the inbound queue was full (pacer behind)
 * @param unknownPayloadIn packets of a payload type we did not negotiate
 * @param packetsLost RFC 3550 cumulative loss (expected minus received)
 * @param fractionLost loss in the last RTCP interval, 0..1
 * @param jitterMillis RFC 3550 interarrival jitter
 * @param latePackets arrived after their slot was played (concealed)
 * @param duplicatePackets arrived twice
 * @param backlogDroppedMillis caller audio the jitter buffer dropped unplayed to shed a backlog
 *     beyond its target (after the pacer skipped or stalled)
 * @param concealedMillis audio synthesised by FEC or PLC
 * @param fecFrames frames recovered from in-band FEC
 * @param plcFrames frames concealed by PLC
 * @param decodeErrors packets libopus rejected (then concealed)
 * @param jitterBufferDepthMillis current depth
 * @param jitterBufferTargetMillis current adaptive target
 * @param dtmfDigits digits delivered to the sink
 * @param packetsOut RTP packets sent
 * @param bytesOut their bytes
 * @param audioFramesOut frames carrying agent audio
 * @param silenceFramesOut encoded-silence frames (agent quiet)
 * @param rtcpIn RTCP compounds received
 * @param rtcpOut RTCP compounds sent
 * @param roundTripMillis from the peer's RR about our SR (RFC 3550 6.4.1), -1 until known
 * @param playoutQueuedMillis agent audio waiting
 * @param playoutDroppedMillis agent audio refused because the queue was full
 * @param accepted media is flowing towards the caller
 * @param fecBudgetPercent the loss our encoder codes in-band FEC for now (follows the peer's
 *     reports; FEC is coded above 5 % at 20 kb/s)
 * @param opusComplexity our encoder's complexity now (the FEC complexity while FEC is coded)
 */
public record MediaStats(
        long packetsIn,
        long bytesIn,
        long malformedIn,
        long droppedIn,
        long unknownPayloadIn,
        long packetsLost,
        double fractionLost,
        double jitterMillis,
        long latePackets,
        long duplicatePackets,
        long backlogDroppedMillis,
        long concealedMillis,
        long fecFrames,
        long plcFrames,
        long decodeErrors,
        int jitterBufferDepthMillis,
        int jitterBufferTargetMillis,
        long dtmfDigits,
        long packetsOut,
        long bytesOut,
        long audioFramesOut,
        long silenceFramesOut,
        long rtcpIn,
        long rtcpOut,
        double roundTripMillis,
        int playoutQueuedMillis,
        long playoutDroppedMillis,
        boolean accepted,
        int fecBudgetPercent,
        int opusComplexity) {}
