package dev.db20.wire;

/**
 * Little-endian reads and writes of unsigned integers in byte arrays. Width and byte order are
 * in every method name, so a reader never has to guess which one a call site means.
 *
 * <p>Bounds are the caller's job: these methods throw {@link ArrayIndexOutOfBoundsException} on
 * a short array, which is a bug in the caller, never a property of untrusted input (the reader
 * checks the bytes remaining before every read).
 */
public final class LittleEndian {
  private LittleEndian() {}

  /** Writes the low 16 bits of {@code value} at {@code offset}, least significant byte first. */
  public static void putU16Le(byte[] buf, int offset, int value) {
    buf[offset] = (byte) value;
    buf[offset + 1] = (byte) (value >>> 8);
  }

  /** Writes the low 32 bits of {@code value} at {@code offset}, least significant byte first. */
  public static void putU32Le(byte[] buf, int offset, long value) {
    buf[offset] = (byte) value;
    buf[offset + 1] = (byte) (value >>> 8);
    buf[offset + 2] = (byte) (value >>> 16);
    buf[offset + 3] = (byte) (value >>> 24);
  }

  /** Writes all 64 bits of {@code value} at {@code offset}, least significant byte first. */
  public static void putU64Le(byte[] buf, int offset, long value) {
    for (int i = 0; i < 8; i++) {
      buf[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  /** Reads an unsigned 16-bit value at {@code offset}. */
  public static int getU16Le(byte[] buf, int offset) {
    return (buf[offset] & 0xff) | (buf[offset + 1] & 0xff) << 8;
  }

  /** Reads an unsigned 32-bit value at {@code offset}, returned as a non-negative long. */
  public static long getU32Le(byte[] buf, int offset) {
    return (buf[offset] & 0xffL)
        | (buf[offset + 1] & 0xffL) << 8
        | (buf[offset + 2] & 0xffL) << 16
        | (buf[offset + 3] & 0xffL) << 24;
  }

  /** Reads a 64-bit value at {@code offset}; Java's long holds it as two's complement. */
  public static long getU64Le(byte[] buf, int offset) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[offset + i] & 0xffL);
    }
    return v;
  }
}
