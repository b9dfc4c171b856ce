package dev.voicebridge.worker.pipeline.bench;

import dev.voicebridge.media.dtls.DtlsRole;
import dev.voicebridge.media.dtls.SrtpKeyingMaterial;
import dev.voicebridge.media.dtls.SrtpProfile;
import dev.voicebridge.media.srtp.PacketBuffer;
import dev.voicebridge.media.srtp.SrtpSession;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Per 20 ms frame: SRTP protect of one outgoing Opus packet (72 bytes: WhatsApp's 20 kb/s is ~50
 * bytes of payload), and protect + unprotect (the receive side's cost is the difference; the
 * replay window needs fresh sequence numbers, so unprotect cannot loop on one packet alone).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SrtpBench {
    @Param({"AES128_CM_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public String profile;

    private SrtpSession sender;
    private SrtpSession receiver;
    private final PacketBuffer buffer = new PacketBuffer(1500);
    private final byte[] packet = new byte[72];
    private int sequence;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpProfile p = SrtpProfile.valueOf(profile);
        var random = new Random(1);
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            parts[i] = new byte[i % 2 == 0 ? p.keyLength() : p.saltLength()];
            random.nextBytes(parts[i]);
        }
        var keys = new SrtpKeyingMaterial(p, parts[0], parts[1], parts[2], parts[3]);
        sender = new SrtpSession(keys, DtlsRole.CLIENT);
        receiver = new SrtpSession(keys, DtlsRole.SERVER);
        random.nextBytes(packet);
        packet[0] = (byte) 0x80;
        packet[1] = 111;
        packet[8] = 0x12;
        packet[9] = 0x34;
        packet[10] = 0x56;
        packet[11] = 0x78;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sender.close();
        receiver.close();
    }

    private void nextPacket() {
        sequence = (sequence + 1) & 0xFFFF;
        packet[2] = (byte) (sequence >>> 8);
        packet[3] = (byte) sequence;
        int ts = sequence * 960;
        packet[4] = (byte) (ts >>> 24);
        packet[5] = (byte) (ts >>> 16);
        packet[6] = (byte) (ts >>> 8);
        packet[7] = (byte) ts;
        buffer.set(packet, 0, packet.length);
    }

    @Benchmark
    public boolean protect(CpuTime cpu) {
        cpu.ops++;
        nextPacket();
        return sender.protectRtp(buffer);
    }

    @Benchmark
    public boolean protectThenUnprotect(CpuTime cpu) {
        cpu.ops++;
        nextPacket();
        return sender.protectRtp(buffer) && receiver.unprotectRtp(buffer);
    }
}
