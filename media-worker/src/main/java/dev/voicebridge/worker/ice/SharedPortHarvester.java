package dev.voicebridge.worker.ice;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;

/**
 * Gives one call's ice4j agent its host candidates on the worker's shared port, one per
 * {@link CallStunSocket}, and hands each socket to the agent's STUN stack ({@link
 * CallStunSocket#attach}).
 */
final class SharedPortHarvester implements CandidateHarvester {
    private final List<CallStunSocket> sockets;
    private final HarvestStatistics statistics = new HarvestStatistics();

    SharedPortHarvester(List<CallStunSocket> sockets) {
        this.sockets = sockets;
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        var out = new ArrayList<LocalCandidate>();
        for (CallStunSocket socket : sockets) {
            var candidate = new SharedPortCandidate(new IceUdpSocketWrapper(socket), component);
            if (component.addLocalCandidate(candidate)) {
                socket.attach(
                        component.getParentStream().getParentAgent().getStunStack(), candidate.getStunSocket(null));
                out.add(candidate);
            }
        }
        return out;
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return statistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }

    /**
     * A host candidate whose socket already carries only STUN: ice4j's default expects a
     * multiplexing socket and filters STUN out of it itself.
     */
    private static final class SharedPortCandidate extends HostCandidate {
        SharedPortCandidate(IceSocketWrapper socket, Component component) {
            super(socket, component, Transport.UDP);
        }

        @Override
        public IceSocketWrapper getStunSocket(TransportAddress serverAddress) {
            return getCandidateIceSocketWrapper();
        }
    }
}
