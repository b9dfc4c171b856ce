package dev.voicebridge.worker.webrtc;

import dev.voicebridge.media.dtls.DtlsEndpoint;
import dev.voicebridge.media.sdp.IceCandidate;
import dev.voicebridge.worker.ice.IceGuard;
import dev.voicebridge.worker.transport.MediaPort;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every session of a worker shares: the port, the timer thread, the DTLS identity, the bounds
 * on what ICE sends.
 */
record SharedResources(
        TransportConfig config,
        MediaPort port,
        ScheduledExecutorService timer,
        DtlsEndpoint dtls,
        List<IceCandidate> localCandidates,
        IceGuard iceGuard) {}
