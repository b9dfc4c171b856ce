package dev.voicebridge.testkit.net;

/**
 * What the relay does to each datagram, independently per direction.
 *
 * @param lossPercent probability of dropping a datagram
 * @param jitterMillis extra delay drawn uniformly from {@code [0, jitterMillis]}: datagrams sent
 *     less than that apart may overtake each other, which is how reordering happens on real paths
 * @param duplicatePercent probability of delivering a datagram twice
 * @param seed the RNG seed, so a failing run can be replayed
 */
public record ImpairmentConfig(double lossPercent, int jitterMillis, double duplicatePercent, long seed) {
    public static ImpairmentConfig none() {
        return new ImpairmentConfig(0, 0, 0, 1);
    }
}
