package dev.db20.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An immutable sequence of bytes: the one value type db20 uses for keys, values and tokens.
 *
 * <p>The bytes are copied once, when a {@code Bytes} is made ({@link #copyOf}), and never again:
 * accessors that expose the content either copy it out ({@link #toByteArray}, {@link #copyTo}) or
 * write it to a sink ({@link #writeTo}), so a {@code Bytes} can be shared freely between replicas,
 * state versions and threads. Equality is by content; the hash code is cached, which is what makes
 * a {@code Bytes} a cheap hash-map key. The natural order is SPEC §4's key order: unsigned bytewise
 * lexicographic, a proper prefix first.
 */
public final class Bytes implements Comparable<Bytes> {
  /** The empty sequence. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  // Never modified after construction and never handed out: immutability rests on it.
  private final byte[] bytes;
  // Arrays.hashCode(bytes), computed on first use; 0 means not yet (as String does).
  private int hash;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Takes {@code bytes} without copying. Package-private: only the readers here call it, with an
   * array they have just filled and never touch again, which keeps every {@code Bytes} immutable.
   */
  static Bytes wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes);
  }

  /**
   * The backing array itself, not a copy. Package-private for the same reason as {@link #wrap}: the
   * writers here read from it and never write to it.
   */
  byte[] array() {
    return bytes;
  }

  /** A copy of {@code bytes}. */
  public static Bytes copyOf(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  /**
   * A copy of {@code length} bytes of {@code bytes} from {@code offset}.
   *
   * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
   */
  public static Bytes copyOf(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new IndexOutOfBoundsException(
          "range ["
              + offset
              + ", "
              + offset
              + " + "
              + length
              + ") outside an array of "
              + bytes.length);
    }
    return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /** A copy of the bytes between {@code src}'s position and its limit; {@code src} is not moved. */
  public static Bytes copyOf(ByteBuffer src) {
    int n = src.remaining();
    if (n == 0) {
      return EMPTY;
    }
    byte[] b = new byte[n];
    src.get(src.position(), b, 0, n);
    return new Bytes(b);
  }

  /** The bytes of {@code s}, which must be ASCII (tests, literals). */
  public static Bytes ofAscii(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      char c = s.charAt(i);
      if (c > 0x7f) {
        throw new IllegalArgumentException("not ASCII at index " + i + ": " + s);
      }
      b[i] = (byte) c;
    }
    return new Bytes(b);
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** Whether there are no bytes. */
  public boolean isEmpty() {
    return bytes.length == 0;
  }

  /** The byte at {@code index}. */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /** A new array holding the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Copies the bytes into {@code dst} at {@code dstOffset}. */
  public void copyTo(byte[] dst, int dstOffset) {
    System.arraycopy(bytes, 0, dst, dstOffset, bytes.length);
  }

  /** Puts the bytes into {@code dst} at its position, advancing it. */
  public void copyTo(ByteBuffer dst) {
    dst.put(bytes);
  }

  /** Writes the bytes to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes);
  }

  /** Unsigned bytewise lexicographic order; a proper prefix sorts first (SPEC §4). */
  @Override
  public int compareTo(Bytes other) {
    return compareUnsigned(bytes, other.bytes);
  }

  /** From this many bytes on, {@link Arrays#compareUnsigned}'s vectorized loop is the fastest. */
  private static final int SHORT_COMPARE = 16;

  // A byte[] read eight bytes at a time, most significant first: comparing two such longs
  // unsigned is comparing the eight bytes lexicographically (unsigned), in one step.
  private static final VarHandle U64_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * {@link Arrays#compareUnsigned(byte[], byte[])} with a faster path for short keys, which are the
   * common case: the snapshot writer and reader compare every key with the one before it. Only the
   * sign of the result means anything.
   */
  static int compareUnsigned(byte[] a, byte[] b) {
    return compareUnsigned(a, 0, a.length, b, 0, b.length);
  }

  /**
   * {@link #compareUnsigned(byte[], byte[])} of {@code a[aAt..aAt + aLength)} and {@code b[bAt..bAt
   * + bLength)}. Short ranges are compared eight bytes at a time; a last part shorter than eight is
   * one masked eight-byte load when both arrays have eight bytes there (the snapshot codec's keys
   * lie in a buffer with more bytes after them), else a byte loop.
   */
  static int compareUnsigned(byte[] a, int aAt, int aLength, byte[] b, int bAt, int bLength) {
    int n = Math.min(aLength, bLength);
    if (n >= SHORT_COMPARE) {
      return Arrays.compareUnsigned(a, aAt, aAt + aLength, b, bAt, bAt + bLength);
    }
    int i = 0;
    for (; n - i >= Long.BYTES; i += Long.BYTES) {
      long x = (long) U64_BE.get(a, aAt + i);
      long y = (long) U64_BE.get(b, bAt + i);
      if (x != y) {
        return Long.compareUnsigned(x, y);
      }
    }
    int tail = n - i;
    if (tail > 0) {
      int order =
          a.length - (aAt + i) >= Long.BYTES && b.length - (bAt + i) >= Long.BYTES
              ? compareMasked(a, aAt + i, b, bAt + i, tail)
              : compareLoop(a, aAt + i, b, bAt + i, tail);
      if (order != 0) {
        return order;
      }
    }
    return aLength - bLength;
  }

  /**
   * The first {@code n} (1 to 7) bytes at {@code a[aAt]} and {@code b[bAt]}, compared as one
   * eight-byte load each with the bytes past {@code n} masked off; both arrays hold eight bytes
   * there.
   */
  private static int compareMasked(byte[] a, int aAt, byte[] b, int bAt, int n) {
    assert n > 0 && n < Long.BYTES : n;
    long keep = -1L << (Byte.SIZE * (Long.BYTES - n));
    long x = (long) U64_BE.get(a, aAt) & keep;
    long y = (long) U64_BE.get(b, bAt) & keep;
    return Long.compareUnsigned(x, y);
  }

  /** The first {@code n} bytes at {@code a[aAt]} and {@code b[bAt]}, a byte at a time. */
  private static int compareLoop(byte[] a, int aAt, byte[] b, int bAt, int n) {
    for (int i = 0; i < n; i++) {
      if (a[aAt + i] != b[bAt + i]) {
        return Byte.toUnsignedInt(a[aAt + i]) - Byte.toUnsignedInt(b[bAt + i]);
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b
        && (b == this || (hashCode() == b.hashCode() && Arrays.equals(bytes, b.bytes)));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0 && bytes.length > 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  /** Lowercase hex of the bytes, {@code -} when empty (the script output form of SPEC §7). */
  @Override
  public String toString() {
    return bytes.length == 0 ? "-" : Hex.encode(bytes);
  }
}
