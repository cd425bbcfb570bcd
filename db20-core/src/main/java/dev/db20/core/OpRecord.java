package dev.db20.core;

import static dev.db20.wire.SnapshotFormat.SIZE_LENGTH_PREFIX;

import dev.db20.api.Op;
import dev.db20.core.OpRecordFormatException.Rule;
import dev.db20.wire.Bytes;
import dev.db20.wire.LittleEndian;

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

  /** Offset of the key length in a Put or Del record. */
  public static final int OFFSET_KEY_LENGTH = SIZE_TAG;

  /** The record of {@code op}. */
  public static byte[] encode(Op op) {
    if (op instanceof Op.Put p) {
      return encodePut(p.key(), p.value());
    }
    if (op instanceof Op.Del d) {
      return encodeDel(d.key());
    }
    return new byte[] {TAG_NOOP};
  }

  /**
   * The record of {@code Put(key, value)}, without making the op. A key or value outside SPEC §1's
   * limits gives a record {@link #decode} refuses.
   */
  public static byte[] encodePut(Bytes key, Bytes value) {
    byte[] out = new byte[SIZE_TAG + 2 * SIZE_LENGTH_PREFIX + key.length() + value.length()];
    out[0] = TAG_PUT;
    int at = putBytes(out, OFFSET_KEY_LENGTH, key);
    putBytes(out, at, value);
    return out;
  }

  /** The record of {@code Del(key)}, without making the op. */
  public static byte[] encodeDel(Bytes key) {
    byte[] out = new byte[SIZE_TAG + SIZE_LENGTH_PREFIX + key.length()];
    out[0] = TAG_DEL;
    putBytes(out, OFFSET_KEY_LENGTH, key);
    return out;
  }

  /**
   * Decodes one record that fills {@code bytes} exactly.
   *
   * @throws OpRecordFormatException naming the offset and the rule: an unknown tag, a record that
   *     ends early, trailing bytes, or a key or value outside SPEC §1's limits
   */
  public static Op decode(byte[] bytes) throws OpRecordFormatException {
    if (bytes.length < SIZE_TAG) {
      throw new OpRecordFormatException(0, Rule.TRUNCATED, "no tag byte");
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
        Bytes key = readKey(bytes);
        int valueAt = OFFSET_KEY_LENGTH + SIZE_LENGTH_PREFIX + key.length();
        long valueLength = readLength(bytes, valueAt, "value");
        if (valueLength > Op.MAX_VALUE_LEN) {
          throw new OpRecordFormatException(
              valueAt, Rule.VALUE_TOO_LONG, Op.valueLimitError(valueLength));
        }
        Bytes value = readBytes(bytes, valueAt, valueLength, "value");
        op = new Op.Put(key, value);
        end = valueAt + SIZE_LENGTH_PREFIX + value.length();
      }
      case TAG_DEL -> {
        Bytes key = readKey(bytes);
        op = new Op.Del(key);
        end = OFFSET_KEY_LENGTH + SIZE_LENGTH_PREFIX + key.length();
      }
      default ->
          throw new OpRecordFormatException(
              0, Rule.UNKNOWN_TAG, "tag " + tag + " (0 NoOp, 1 Put, 2 Del)");
    }
    if (end != bytes.length) {
      throw new OpRecordFormatException(
          end, Rule.TRAILING_BYTES, (bytes.length - end) + " bytes after the record");
    }
    return op;
  }

  private static Bytes readKey(byte[] in) throws OpRecordFormatException {
    long length = readLength(in, OFFSET_KEY_LENGTH, "key");
    if (length < Op.MIN_KEY_LEN) {
      throw new OpRecordFormatException(OFFSET_KEY_LENGTH, Rule.EMPTY_KEY, "a key of length 0");
    }
    if (length > Op.MAX_KEY_LEN) {
      throw new OpRecordFormatException(
          OFFSET_KEY_LENGTH, Rule.KEY_TOO_LONG, Op.keyLimitError(length));
    }
    return readBytes(in, OFFSET_KEY_LENGTH, length, "key");
  }

  private static long readLength(byte[] in, int at, String what) throws OpRecordFormatException {
    if (in.length - at < SIZE_LENGTH_PREFIX) {
      throw new OpRecordFormatException(
          at,
          Rule.TRUNCATED,
          what + " length needs 4 bytes, " + Math.max(0, in.length - at) + " remain");
    }
    return LittleEndian.getU32Le(in, at);
  }

  /**
   * The {@code length} bytes after the length field at {@code lengthAt}, checked before copying.
   */
  private static Bytes readBytes(byte[] in, int lengthAt, long length, String what)
      throws OpRecordFormatException {
    int from = lengthAt + SIZE_LENGTH_PREFIX;
    if (length > in.length - from) {
      throw new OpRecordFormatException(
          lengthAt,
          Rule.LENGTH_PAST_END,
          what + " of length " + length + ", " + (in.length - from) + " bytes remain");
    }
    return Bytes.copyOf(in, from, (int) length);
  }

  private static int putBytes(byte[] out, int at, Bytes b) {
    LittleEndian.putU32Le(out, at, b.length());
    b.copyTo(out, at + SIZE_LENGTH_PREFIX);
    return at + SIZE_LENGTH_PREFIX + b.length();
  }
}
