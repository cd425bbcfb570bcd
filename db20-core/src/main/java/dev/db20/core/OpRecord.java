package dev.db20.core;

import static dev.db20.wire.SnapshotFormat.SIZE_LENGTH_PREFIX;

import dev.db20.wire.LittleEndian;
import java.util.Arrays;

/**
 * The op record of SPEC §4.1: how one op travels in a replicated log or a file. The simulation
 * never needs it; the deployment on a real Raft engine does.
 *
 * <pre>
 * NoOp  0x00
 * Put   0x01, key length u32, key, value length u32, value
 * Del   0x02, key length u32, key
 * </pre>
 */
public final class OpRecord {
  private OpRecord() {}

  /** Tag byte of {@link Op.NoOp}. */
  public static final int TAG_NOOP = 0;
  /** Tag byte of {@link Op.Put}. */
  public static final int TAG_PUT = 1;
  /** Tag byte of {@link Op.Del}. */
  public static final int TAG_DEL = 2;
  /** Size of the tag. */
  public static final int SIZE_TAG = 1;

  /** The record of {@code op}. */
  public static byte[] encode(Op op) {
    if (op instanceof Op.Put p) {
      byte[] k = p.keyRef();
      byte[] v = p.valueRef();
      byte[] out = new byte[SIZE_TAG + 2 * SIZE_LENGTH_PREFIX + k.length + v.length];
      out[0] = TAG_PUT;
      int at = putBytes(out, SIZE_TAG, k);
      putBytes(out, at, v);
      return out;
    }
    if (op instanceof Op.Del d) {
      byte[] k = d.keyRef();
      byte[] out = new byte[SIZE_TAG + SIZE_LENGTH_PREFIX + k.length];
      out[0] = TAG_DEL;
      putBytes(out, SIZE_TAG, k);
      return out;
    }
    return new byte[] {TAG_NOOP};
  }

  /**
   * Decodes one record that fills {@code bytes} exactly.
   *
   * @throws IllegalArgumentException naming the offset: an unknown tag, a record that ends early,
   *     trailing bytes, or a key or value outside SPEC §1's limits
   */
  public static Op decode(byte[] bytes) {
    if (bytes.length < SIZE_TAG) {
      throw refuse(0, "record ends early: no tag byte");
    }
    int tag = bytes[0] & 0xff;
    Op op;
    int end;
    switch (tag) {
      case TAG_NOOP -> {
        op = Op.NoOp.INSTANCE;
        end = SIZE_TAG;
      }
      case TAG_PUT -> {
        byte[] key = readBytes(bytes, SIZE_TAG, 1, Op.MAX_KEY_LEN, "key");
        int valueAt = SIZE_TAG + SIZE_LENGTH_PREFIX + key.length;
        byte[] value = readBytes(bytes, valueAt, 0, Op.MAX_VALUE_LEN, "value");
        op = new Op.Put(key, value);
        end = valueAt + SIZE_LENGTH_PREFIX + value.length;
      }
      case TAG_DEL -> {
        byte[] key = readBytes(bytes, SIZE_TAG, 1, Op.MAX_KEY_LEN, "key");
        op = new Op.Del(key);
        end = SIZE_TAG + SIZE_LENGTH_PREFIX + key.length;
      }
      default -> throw refuse(0, "unknown tag " + tag + " (0 NoOp, 1 Put, 2 Del)");
    }
    if (end != bytes.length) {
      throw refuse(end, (bytes.length - end) + " trailing bytes after the record");
    }
    return op;
  }

  private static int putBytes(byte[] out, int at, byte[] b) {
    LittleEndian.putU32Le(out, at, b.length);
    System.arraycopy(b, 0, out, at + SIZE_LENGTH_PREFIX, b.length);
    return at + SIZE_LENGTH_PREFIX + b.length;
  }

  private static byte[] readBytes(byte[] in, int lengthAt, int min, int max, String what) {
    if (in.length - lengthAt < SIZE_LENGTH_PREFIX) {
      throw refuse(lengthAt, "record ends early: " + what + " length needs 4 bytes, " + Math.max(0, in.length - lengthAt) + " remain");
    }
    long len = LittleEndian.getU32Le(in, lengthAt);
    if (len < min || len > max) {
      throw refuse(lengthAt, what + " length " + len + " outside " + min + ".." + max);
    }
    int from = lengthAt + SIZE_LENGTH_PREFIX;
    if (len > in.length - from) {
      throw refuse(lengthAt, "record ends early: " + what + " of length " + len + ", " + (in.length - from) + " bytes remain");
    }
    return Arrays.copyOfRange(in, from, from + (int) len);
  }

  private static IllegalArgumentException refuse(int offset, String why) {
    return new IllegalArgumentException("op record offset " + offset + ": " + why);
  }
}
