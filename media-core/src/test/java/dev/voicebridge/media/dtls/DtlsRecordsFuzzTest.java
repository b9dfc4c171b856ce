package dev.voicebridge.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.fuzz.Datagrams;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The DTLS record peek of the shared port: any bytes are a yes or a no, and the framing is exact. */
class DtlsRecordsFuzzTest {
    @Property(tries = 3000)
    void anyBytesAreJudgedWithoutException(@ForAll("dtlsLooking") byte[] d) {
        DtlsRecords.wellFormed(d, 0, d.length);
    }

    @Property(tries = 2000)
    void onlyTheDatagramsBytesAreRead(@ForAll("embedded") Datagrams.Embedded e) {
        byte[] exact = e.exact();
        assertThat(DtlsRecords.wellFormed(e.buffer(), e.offset(), e.length()))
                .isEqualTo(DtlsRecords.wellFormed(exact, 0, exact.length));
    }

    /** Records back to back are well formed; a prefix is exactly when it ends on a record boundary. */
    @Property(tries = 1000)
    void aPrefixIsWellFormedExactlyAtRecordBoundaries(@ForAll("flights") List<byte[]> records) {
        int total = records.stream().mapToInt(r -> r.length).sum();
        byte[] flight = new byte[total];
        var boundaries = new java.util.HashSet<Integer>();
        int pos = 0;
        for (byte[] r : records) {
            System.arraycopy(r, 0, flight, pos, r.length);
            pos += r.length;
            boundaries.add(pos);
        }
        assertThat(DtlsRecords.wellFormed(flight, 0, flight.length)).isTrue();
        for (byte[] prefix : Datagrams.prefixes(flight)) {
            assertThat(DtlsRecords.wellFormed(prefix, 0, prefix.length))
                    .as("prefix of %d bytes", prefix.length)
                    .isEqualTo(boundaries.contains(prefix.length));
        }
    }

    @Provide
    Arbitrary<byte[]> dtlsLooking() {
        return Arbitraries.oneOf(
                Datagrams.anyBytes(300),
                Combinators.combine(Arbitraries.integers().between(20, 63), Datagrams.anyBytes(300))
                        .as((first, d) -> {
                            if (d.length > 0) {
                                d[0] = (byte) (int) first;
                            }
                            if (d.length > 2) {
                                d[1] = (byte) 0xFE;
                                d[2] = (byte) 0xFD;
                            }
                            return d;
                        }),
                flights().map(records -> {
                    int total = records.stream().mapToInt(r -> r.length).sum();
                    byte[] out = new byte[total];
                    int pos = 0;
                    for (byte[] r : records) {
                        System.arraycopy(r, 0, out, pos, r.length);
                        pos += r.length;
                    }
                    return out;
                }));
    }

    @Provide
    Arbitrary<Datagrams.Embedded> embedded() {
        return Datagrams.embedded(dtlsLooking());
    }

    @Provide
    Arbitrary<List<byte[]>> flights() {
        Arbitrary<byte[]> record = Combinators.combine(
                        Arbitraries.integers().between(20, 24),
                        Arbitraries.of(0xFF, 0xFD),
                        Datagrams.anyBytes(8),
                        Datagrams.anyBytes(120))
                .as((type, minor, epochAndSequence, fragment) -> {
                    byte[] r = new byte[DtlsRecords.HEADER_LENGTH + fragment.length];
                    r[0] = (byte) (int) type;
                    r[1] = (byte) 0xFE;
                    r[2] = (byte) (int) minor;
                    System.arraycopy(epochAndSequence, 0, r, 3, epochAndSequence.length);
                    r[11] = (byte) (fragment.length >>> 8);
                    r[12] = (byte) fragment.length;
                    System.arraycopy(fragment, 0, r, DtlsRecords.HEADER_LENGTH, fragment.length);
                    return r;
                });
        return record.list().ofMinSize(1).ofMaxSize(5);
    }
}
