package dev.voicebridge.media.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A packet in a byte array that SRTP transforms in place: protecting appends the auth tag (and
 * the SRTCP index), so the array has headroom and grows only if it must. Reusable: one per
 * direction per thread, never shared between threads.
 */
public final class PacketBuffer implements ByteArrayBuffer {
    /** Room for the SRTCP index (4) and the largest tag (16) after a full-size packet. */
    public static final int HEADROOM = 32;

    private byte[] buffer;
    private int offset;
    private int length;

    public PacketBuffer(int capacity) {
        this.buffer = new byte[capacity];
    }

    /** Copies {@code len} bytes in, replacing the content. */
    public PacketBuffer set(byte[] src, int off, int len) {
        if (buffer.length < len + HEADROOM) {
            buffer = new byte[len + HEADROOM];
        }
        System.arraycopy(src, off, buffer, 0, len);
        offset = 0;
        length = len;
        return this;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || offset + len > buffer.length) {
            throw new IllegalArgumentException("length");
        }
        length = len;
    }

    @Override
    public void setOffset(int off) {
        if (off < 0 || off + length > buffer.length) {
            throw new IllegalArgumentException("offset");
        }
        offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        int start = offset + off;
        if (off < 0 || len <= 0 || start + len > buffer.length || out.length < len) {
            return;
        }
        System.arraycopy(buffer, start, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("howMuch");
        }
        if (offset + length + howMuch > buffer.length) {
            byte[] bigger = new byte[length + howMuch + HEADROOM];
            System.arraycopy(buffer, offset, bigger, 0, length);
            buffer = bigger;
            offset = 0;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        if (data == null || len == 0) {
            return;
        }
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len > 0) {
            length = Math.max(0, length - len);
        }
    }
}
