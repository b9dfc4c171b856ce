package dev.voicebridge.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.fuzz.Datagrams;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * RTP and RTCP parsing of hostile input (after SRTP, so from an authenticated peer, and the header
 * checks the shared port makes before SRTP, from anyone): values, never exceptions; only the
 * datagram's bytes are read; what we write parses back to itself.
 */
class RtpFuzzTest {
    @Property(tries = 3000)
    void anyBytesAreAPacketOrAReason(@ForAll("anyBytes") byte[] d) {
        RtpParseResult rtp = RtpParser.parse(d, 0, d.length);
        RtcpCodec.RtcpParseResult rtcp = RtcpCodec.parse(d, 0, d.length);
        int header = RtpParser.headerLength(d, 0, d.length);
        RtcpCodec.firstHeaderFits(d, 0, d.length);
        RtcpMux.isRtcp(d, 0, d.length);
        if (rtp instanceof RtpParseResult.Parsed(RtpPacket p)) {
            assertThat(header).isEqualTo(p.headerLength());
        }
        if (header < 0) {
            assertThat(rtp).isInstanceOf(RtpParseResult.Malformed.class);
        }
        if (rtcp instanceof RtcpCodec.RtcpParseResult.Parsed) {
            assertThat(RtcpCodec.firstHeaderFits(d, 0, d.length) || !RtcpMux.isRtcp(d, 0, d.length))
                    .isTrue();
        }
    }

    @Property(tries = 3000)
    void rtpShapedBytesAreAPacketOrAReason(@ForAll("rtpShaped") byte[] d) {
        RtpParseResult result = RtpParser.parse(d, 0, d.length);
        int header = RtpParser.headerLength(d, 0, d.length);
        if (result instanceof RtpParseResult.Parsed(RtpPacket p)) {
            assertThat(header).isEqualTo(p.headerLength());
            assertThat(p.length()).isLessThanOrEqualTo(d.length);
        }
    }

    /**
     * The relay's rewriter on RTP-shaped input: refused as a value, or written as a packet of our
     * stream that parses back with the input's payload (padding removed).
     */
    @Property(tries = 3000)
    void rtpShapedBytesAreForwardedWhole(@ForAll("rtpShaped") byte[] d) {
        var rewriter = new RtpStreamRewriter(0xCAFEL, 48_000, 7, 9);
        byte[] out = new byte[d.length + RtpPacket.FIXED_HEADER_BYTES];
        int n = rewriter.rewrite(d, 0, d.length, 111, out, 0, 0);
        if (RtpParser.parse(d, 0, d.length) instanceof RtpParseResult.Parsed(RtpPacket in)) {
            assertThat(n).isPositive();
            var written = ((RtpParseResult.Parsed) RtpParser.parse(out, 0, n)).packet();
            assertThat(written.ssrc()).isEqualTo(0xCAFEL);
            assertThat(written.sequenceNumber()).isEqualTo(7);
            assertThat(written.payload()).isEqualTo(in.payload());
        } else {
            assertThat(n).isEqualTo(RtpStreamRewriter.NOT_FORWARDED);
            assertThat(rewriter.malformed()).isEqualTo(1);
        }
    }

    @Property(tries = 3000)
    void rtcpShapedBytesAreACompoundOrAReason(@ForAll("rtcpShaped") byte[] d) {
        if (RtcpCodec.parse(d, 0, d.length) instanceof RtcpCodec.RtcpParseResult.Parsed(List<RtcpPacket> packets)) {
            assertThat(packets).isNotEmpty();
            assertThat(RtcpCodec.firstHeaderFits(d, 0, d.length)).isEqualTo(RtcpMux.isRtcp(d, 0, d.length));
        }
    }

    @Property(tries = 2000)
    void onlyTheDatagramsBytesAreRead(@ForAll("embeddedMedia") Datagrams.Embedded e) {
        byte[] exact = e.exact();
        assertThat(RtpParser.parse(e.buffer(), e.offset(), e.length())).isEqualTo(RtpParser.parse(exact));
        assertThat(RtpParser.headerLength(e.buffer(), e.offset(), e.length()))
                .isEqualTo(RtpParser.headerLength(exact, 0, exact.length));
        assertThat(RtcpCodec.parse(e.buffer(), e.offset(), e.length()))
                .isEqualTo(RtcpCodec.parse(exact, 0, exact.length));
        assertThat(RtcpCodec.firstHeaderFits(e.buffer(), e.offset(), e.length()))
                .isEqualTo(RtcpCodec.firstHeaderFits(exact, 0, exact.length));
    }

    @Property(tries = 500)
    void writtenRtpParsesBackAndEveryPrefixIsData(@ForAll("packets") RtpPacket packet) {
        byte[] wire = packet.toBytes();
        assertThat(RtpParser.parse(wire)).isEqualTo(new RtpParseResult.Parsed(packet));
        for (byte[] prefix : Datagrams.prefixes(wire)) {
            RtpParseResult r = RtpParser.parse(prefix);
            if (prefix.length < packet.headerLength()) {
                assertThat(r).isInstanceOf(RtpParseResult.Malformed.class);
                assertThat(RtpParser.headerLength(prefix, 0, prefix.length)).isNegative();
            }
        }
    }

    @Property(tries = 500)
    void writtenRtcpParsesBackAndEveryPrefixIsData(@ForAll("compounds") List<RtcpPacket> compound) {
        byte[] wire = RtcpCodec.serialize(compound);
        assertThat(RtcpCodec.parse(wire, 0, wire.length)).isEqualTo(new RtcpCodec.RtcpParseResult.Parsed(compound));
        assertThat(RtcpCodec.firstHeaderFits(wire, 0, wire.length)).isTrue();
        for (byte[] prefix : Datagrams.prefixes(wire)) {
            RtcpCodec.parse(prefix, 0, prefix.length);
        }
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Datagrams.anyBytes(400);
    }

    @Provide
    Arbitrary<Datagrams.Embedded> embeddedMedia() {
        return Datagrams.embedded(Arbitraries.oneOf(rtpShaped(), rtcpShaped(), anyBytes()));
    }

    /** Version 2, any flags, CSRC count and extension length: the header fields that size things. */
    @Provide
    Arbitrary<byte[]> rtpShaped() {
        return Combinators.combine(
                        Arbitraries.integers().between(0x80, 0xBF),
                        Arbitraries.integers().between(0, 255),
                        Datagrams.anyBytes(120),
                        Arbitraries.integers().between(0, 3))
                .as((b0, b1, body, extensionWords) -> {
                    byte[] d = new byte[Math.max(2, body.length)];
                    System.arraycopy(body, 0, d, 0, body.length);
                    d[0] = (byte) (int) b0;
                    d[1] = (byte) (int) b1;
                    int ext = 12 + 4 * (b0 & 0x0F);
                    if (d.length > ext + 3) {
                        d[ext + 2] = 0;
                        d[ext + 3] = (byte) (int) extensionWords;
                    }
                    return d;
                });
    }

    /** Version 2, an RTCP packet type (or a neighbour), a length field near the truth. */
    @Provide
    Arbitrary<byte[]> rtcpShaped() {
        return Combinators.combine(
                        Arbitraries.integers().between(0x80, 0xBF),
                        Arbitraries.integers().between(190, 225),
                        Datagrams.anyBytes(200),
                        Arbitraries.integers().between(-2, 2))
                .as((b0, type, body, lengthError) -> {
                    byte[] d = new byte[Math.max(4, body.length)];
                    System.arraycopy(body, 0, d, 0, body.length);
                    d[0] = (byte) (int) b0;
                    d[1] = (byte) (int) type;
                    int words = Math.max(0, d.length / 4 - 1 + lengthError);
                    d[2] = (byte) (words >>> 8);
                    d[3] = (byte) words;
                    return d;
                });
    }

    @Provide
    Arbitrary<RtpPacket> packets() {
        Arbitrary<Integer> pt = Arbitraries.integers().between(0, 127);
        Arbitrary<Optional<RtpPacket.HeaderExtension>> extension = Arbitraries.oneOf(
                Arbitraries.just(Optional.empty()),
                Combinators.combine(
                                Arbitraries.integers().between(0, 0xFFFF),
                                Arbitraries.integers().between(0, 4))
                        .as((profile, words) ->
                                Optional.of(new RtpPacket.HeaderExtension(profile, new byte[4 * words]))));
        return Combinators.combine(
                        Arbitraries.of(true, false),
                        pt,
                        Arbitraries.integers().between(0, 0xFFFF),
                        Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                        Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                        Arbitraries.longs().between(0, 0xFFFF_FFFFL).list().ofMaxSize(15),
                        extension,
                        Datagrams.anyBytes(200))
                .filter((marker, type, seq, ts, ssrc, csrcs, ext, payload) -> !(marker && type >= 64 && type <= 95))
                .as(RtpPacket::new);
    }

    @Provide
    Arbitrary<List<RtcpPacket>> compounds() {
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        Arbitrary<ReportBlock> block = Combinators.combine(
                        u32,
                        Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(-0x800000, 0x7FFFFF),
                        u32,
                        u32,
                        u32,
                        u32)
                .as(ReportBlock::new);
        Arbitrary<RtcpPacket> sr = Combinators.combine(
                        u32, Arbitraries.longs(), u32, u32, u32, block.list().ofMaxSize(4))
                .as(RtcpPacket.SenderReport::new);
        Arbitrary<RtcpPacket> rr =
                Combinators.combine(u32, block.list().ofMaxSize(4)).as(RtcpPacket.ReceiverReport::new);
        Arbitrary<RtcpPacket> sdes = Combinators.combine(
                        u32, Arbitraries.strings().alpha().ofMaxLength(40))
                .as(RtcpPacket.SourceDescription.Chunk::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(RtcpPacket.SourceDescription::new);
        Arbitrary<RtcpPacket> bye = u32.list().ofMaxSize(4).map(RtcpPacket.Goodbye::new);
        return Arbitraries.oneOf(sr, rr, sdes, bye).list().ofMinSize(1).ofMaxSize(4);
    }
}
