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
    private static final int HANDSHAKE = 22;
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

    /**
     * A fingerprint of the flight in a well-formed datagram that is the same when a handshake
     * sends the flight again (RFC 6347 §4.2.4: a retransmission repeats the flight's messages
     * under new record sequence numbers): each record's content type, epoch and length, and for a
     * plaintext handshake record its message type and message_seq. Record sequence numbers are
     * left out. Only meaningful for datagrams one endpoint writes during one handshake.
     */
    public static long flightSignature(byte[] buf, int off, int len) {
        if (!wellFormed(buf, off, len)) {
            return 0;
        }
        long h = 1125899906842597L;
        int end = off + len;
        for (int pos = off; pos < end; ) {
            int type = buf[pos] & 0xFF;
            int epoch = (buf[pos + 3] & 0xFF) << 8 | (buf[pos + 4] & 0xFF);
            int length = (buf[pos + 11] & 0xFF) << 8 | (buf[pos + 12] & 0xFF);
            h = 31 * h + type;
            h = 31 * h + epoch;
            h = 31 * h + length;
            int body = pos + HEADER_LENGTH;
            if (type == HANDSHAKE && epoch == 0 && length >= 6) {
                h = 31 * h + (buf[body] & 0xFF); // msg_type
                h = 31 * h + ((buf[body + 4] & 0xFF) << 8 | (buf[body + 5] & 0xFF)); // message_seq
            }
            pos = body + length;
        }
        return h;
    }
}
