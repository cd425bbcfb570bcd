package dev.db20.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian reads and writes of unsigned integers in byte arrays. Width and byte order are in
 * every method name, so a reader never has to guess which one a call site means.
 *
 * <p>Bounds are the caller's job: these methods throw {@link IndexOutOfBoundsException} on a short
 * array, which is a bug in the caller, never a property of untrusted input (the reader checks the
 * bytes remaining before every read).
 */
public final class LittleEndian {
  private LittleEndian() {}

  // Views of a byte[] as little-endian short/int/long: one bounds check and one load or store
  // for the whole value, where byte-at-a-time code makes four or eight. The codec's hot loops
  // write two length prefixes per entry, so this is measurable (SnapshotCodecBench).
  private static final VarHandle U16 =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle U32 =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle U64 =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Writes the low 16 bits of {@code value} at {@code offset}, least significant byte first. */
  public static void putU16Le(byte[] buf, int offset, int value) {
    U16.set(buf, offset, (short) value);
  }

  /** Writes the low 32 bits of {@code value} at {@code offset}, least significant byte first. */
  public static void putU32Le(byte[] buf, int offset, long value) {
    U32.set(buf, offset, (int) value);
  }

  /** Writes all 64 bits of {@code value} at {@code offset}, least significant byte first. */
  public static void putU64Le(byte[] buf, int offset, long value) {
    U64.set(buf, offset, value);
  }

  /** Reads an unsigned 16-bit value at {@code offset}. */
  public static int getU16Le(byte[] buf, int offset) {
    return Short.toUnsignedInt((short) U16.get(buf, offset));
  }

  /** Reads an unsigned 32-bit value at {@code offset}, returned as a non-negative long. */
  public static long getU32Le(byte[] buf, int offset) {
    return Integer.toUnsignedLong((int) U32.get(buf, offset));
  }

  /** Reads a 64-bit value at {@code offset}; Java's long holds it as two's complement. */
  public static long getU64Le(byte[] buf, int offset) {
    return (long) U64.get(buf, offset);
  }
}
