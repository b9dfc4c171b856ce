package dev.voicebridge.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.fuzz.Datagrams;
import dev.voicebridge.media.rtp.DtmfDecoder;
import dev.voicebridge.media.rtp.DtmfEncoder;
import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.media.rtp.RtpParseResult;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.worker.pipeline.Harness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The relay fed what a hostile caller controls after SRTP: any bytes claiming its Opus or
 * telephone-event payload type (the key-press path parses them), truncated and forged events, and
 * any RTCP. Nothing throws, every packet is forwarded or counted, no tone reaches the model, and
 * the agent gets exactly the key presses the events make (RFC 4733: one per event timestamp).
 */
class OpusRelayFuzzTest {
    private static final int OPUS = 111;
    private static final int EVENTS = 126;

    @Property(tries = 300)
    void hostileCallerPacketsAreForwardedOrCountedAndNeverThrow(
            @ForAll("callerPackets") List<byte[]> packets, @ForAll("anyRtcp") List<byte[]> rtcp) {
        var now = new AtomicLong();
        var relay = new OpusRelay(OPUS, OPUS, now::get);
        var keys = new ArrayList<Character>();
        relay.hearCallerKeys(EVENTS, keys::add);
        var toModel = new Harness.CapturingOutput();
        var toCaller = new Harness.CapturingOutput();
        relay.callerLeg().onTransportReady(toCaller);
        relay.modelLeg().onTransportReady(toModel);
        relay.callerLeg().markAccepted();
        relay.modelLeg().markAccepted();

        long opus = 0;
        long others = 0;
        var reference = new DtmfDecoder();
        var expectedKeys = new ArrayList<Character>();
        for (byte[] p : packets) {
            if (p.length >= 2 && (p[1] & 0x7F) == OPUS) {
                opus++;
            } else {
                others++;
                if (p.length >= 2
                        && (p[1] & 0x7F) == EVENTS
                        && RtpParser.parse(p, 0, p.length) instanceof RtpParseResult.Parsed parsed) {
                    reference
                            .onPacket(
                                    parsed.packet().timestamp(), parsed.packet().payload())
                            .ifPresent(expectedKeys::add);
                }
            }
            relay.callerLeg().onRtp(p, 0, p.length);
            now.addAndGet(20_000_000L);
        }
        for (byte[] r : rtcp) {
            relay.callerLeg().onRtcp(r, 0, r.length);
            relay.modelLeg().onRtcp(r, 0, r.length);
        }

        var stats = relay.stats();
        assertThat(stats.toModel() + stats.malformed()).isEqualTo(opus);
        assertThat(stats.otherPayload()).isEqualTo(others);
        for (byte[] sent : toModel.rtp) {
            assertThat(sent[1] & 0x7F).as("only Opus reaches the model").isEqualTo(OPUS);
        }
        assertThat(keys)
                .as("each key press the caller's events make, once, and nothing else")
                .isEqualTo(expectedKeys);
        assertThat(relay.callerLeg().stats().rtcpIn()).isEqualTo(rtcp.size());
    }

    @Provide
    Arbitrary<List<byte[]>> callerPackets() {
        Arbitrary<byte[]> claimingOurTypes = Combinators.combine(
                        Arbitraries.of(OPUS, EVENTS, OPUS | 0x80, EVENTS | 0x80, 0, 127), Datagrams.anyBytes(200))
                .as((pt, d) -> {
                    if (d.length > 1) {
                        d[0] = (byte) 0x80;
                        d[1] = (byte) (int) pt;
                    }
                    return d;
                });
        Arbitrary<byte[]> keyPresses = Combinators.combine(
                        Arbitraries.of('1', '#', 'D'),
                        Arbitraries.integers().between(0, 0xFFFF),
                        Arbitraries.integers().between(0, 16))
                .as((key, seq, cut) -> {
                    byte[] payload = DtmfEncoder.keyPress(key, 100, 48_000, 10)
                            .getFirst()
                            .payload();
                    byte[] p = new RtpPacket(true, EVENTS, seq, seq * 960L, 0xCA11, payload).toBytes();
                    return java.util.Arrays.copyOf(p, Math.max(0, p.length - cut)); // truncated too
                });
        return Arbitraries.frequencyOf(
                        Tuple.of(3, Datagrams.anyBytes(200)), Tuple.of(4, claimingOurTypes), Tuple.of(3, keyPresses))
                .list()
                .ofMaxSize(80);
    }

    @Provide
    Arbitrary<List<byte[]>> anyRtcp() {
        return Datagrams.anyBytes(200).list().ofMaxSize(10);
    }
}
