package dev.voicebridge.media.dtls;

/**
 * The DTLS 1.2 record framing of a datagram (RFC 6347 §4.1), checked without decrypting: the
 * shared port's receive loop looks at a datagram's records before it takes a place in a call's
 * handshake queue, so junk that only starts like DTLS (RFC 7983: first byte 20..63) is counted at
 * the port instead of crowding out a real flight. Pure and allocation-free.
 */
public final class DtlsRecords {
    /** content type, version, epoch, sequence number, length. */
    public static final int HEADER_LENGTH = 13;

    /** RFC 6347 §4.1: at most 2^14 + 2048 bytes of (encrypted) fragment per record. */
    static final int MAX_FRAGMENT = (1 << 14) + 2048;

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HEARTBEAT = 24;

    private DtlsRecords() {}

    /**
     * True when the datagram is one or more whole records, back to back with nothing after them
     * (RFC 6347 §4.1.1 allows several per datagram), each of a DTLS 1.2 content type
     * (change_cipher_spec, alert, handshake, application_data, heartbeat: 20..24) and carrying
     * version DTLS 1.0 or 1.2 (a ClientHello may use 1.0, RFC 6347 §4.1). False, never an
     * exception, for any other bytes, also when {@code off}/{@code len} do not fit {@code buf}.
     */
    public static boolean wellFormed(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < HEADER_LENGTH || off > buf.length - len) {
            return false;
        }
        int end = off + len;
        int pos = off;
        while (pos < end) {
            if (end - pos < HEADER_LENGTH) {
                return false;
            }
            int type = buf[pos] & 0xFF;
            if (type < CHANGE_CIPHER_SPEC || type > HEARTBEAT) {
                return false;
            }
            if ((buf[pos + 1] & 0xFF) != 0xFE) {
                return false;
            }
            int minor = buf[pos + 2] & 0xFF;
            if (minor != 0xFF && minor != 0xFD) {
                return false;
            }
            int length = (buf[pos + 11] & 0xFF) << 8 | (buf[pos + 12] & 0xFF);
            if (length > MAX_FRAGMENT || length > end - pos - HEADER_LENGTH) {
                return false;
            }
            pos += HEADER_LENGTH + length;
        }
        return true;
    }
}
