package dev.voicebridge.worker.ice;

import dev.voicebridge.api.log.LogLine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ice4j.TransportAddress;
import org.ice4j.stack.NetAccessManager;
import org.ice4j.stack.StunStack;

/**
 * Ends the reader thread ice4j starts for each socket its STUN stack is given.
 *
 * <p>ice4j's {@code NetAccessManager} wraps every socket in a {@code Connector} that reads it on a
 * platform thread of its own ({@code new Thread}, named {@code IceConnector@…}), for the life of
 * the call — one parked kernel thread and its stack per call, doing nothing we need: the shared
 * port already reads every datagram, and {@link CallStunSocket} hands the call's STUN to ice4j's
 * stack directly ({@code StunStack.handleMessageEvent}, public). The Connector object must stay,
 * since ice4j sends through it; only its thread goes. ice4j offers no switch for that, so its
 * private {@code running} flag is cleared here (ice4j is on the class path, in the unnamed module,
 * whose packages are open to deep reflection), and the thread leaves its loop at its next read.
 *
 * <p>Pinned to the ice4j version we build with: if its fields change, {@link #retire} returns
 * false, the worker logs it once and keeps ice4j's reader thread (one per call, as before), and
 * {@code CallSetupIT} fails on the thread count.
 */
final class Ice4jReaders {
    private static final Logger LOG = Logger.getLogger(Ice4jReaders.class.getName());
    private static final VarHandle NET_ACCESS;
    private static final VarHandle UDP_CONNECTORS;
    private static final VarHandle RUNNING;

    static {
        VarHandle netAccess = null;
        VarHandle connectors = null;
        VarHandle running = null;
        try {
            var lookup = MethodHandles.lookup();
            netAccess = MethodHandles.privateLookupIn(StunStack.class, lookup)
                    .findVarHandle(StunStack.class, "netAccessManager", NetAccessManager.class);
            connectors = MethodHandles.privateLookupIn(NetAccessManager.class, lookup)
                    .findVarHandle(NetAccessManager.class, "udpConnectors", Map.class);
            Class<?> connector = Class.forName("org.ice4j.stack.Connector");
            running =
                    MethodHandles.privateLookupIn(connector, lookup).findVarHandle(connector, "running", boolean.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    LogLine.of(
                            "ice.reader-retire-unsupported",
                            "reason",
                            "this ice4j has no Connector fields we know: each call keeps ice4j's reader thread"),
                    e);
        }
        NET_ACCESS = netAccess;
        UDP_CONNECTORS = connectors;
        RUNNING = running;
    }

    private Ice4jReaders() {}

    /**
     * Tells the reader of the socket {@code stack} got for {@code local} to stop at its next read.
     * True when it will; false (nothing changed) when ice4j's internals are not the expected ones.
     */
    static boolean retire(StunStack stack, TransportAddress local) {
        if (RUNNING == null) {
            return false;
        }
        try {
            var manager = (NetAccessManager) NET_ACCESS.get(stack);
            // Called by the thread that just gave the socket to the stack: the maps are as it left them.
            var byLocal = (Map<?, ?>) UDP_CONNECTORS.get(manager);
            if (!(byLocal.get(local) instanceof Map<?, ?> byRemote)) {
                return false;
            }
            Object connector = byRemote.get(null); // a UDP socket's Connector serves every remote address
            if (connector == null) {
                return false;
            }
            RUNNING.setVolatile(connector, false);
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, LogLine.of("ice.reader-retire-failed"), e);
            return false;
        }
    }
}
