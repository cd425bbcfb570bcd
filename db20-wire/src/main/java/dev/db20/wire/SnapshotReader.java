package dev.db20.wire;

import static dev.db20.wire.SnapshotFormat.*;

import dev.db20.wire.SnapshotFormatException.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The strict reader of SPEC §4 ({@code load_state}). It accepts exactly the bytes {@link
 * SnapshotWriter} writes and refuses everything else, naming the offset and the rule.
 *
 * <p>The bytes are read front to back: header, entries, CRC, end of buffer. The CRC is checked
 * last, once the structure has told where it is. Nothing is allocated from a count or length in
 * the input before that count or length has been checked against the bytes that remain.
 */
public final class SnapshotReader {
  private SnapshotReader() {}

  /**
   * Decodes a snapshot.
   *
   * @throws SnapshotFormatException naming the offset and the rule, if the bytes are not a
   *     canonical snapshot
   */
  public static SnapshotState loadState(byte[] bytes) throws SnapshotFormatException {
    Cursor in = new Cursor(bytes);
    in.need(SIZE_MAGIC, "magic");
    byte[] magic = magic();
    if (!Arrays.equals(bytes, OFFSET_MAGIC, OFFSET_MAGIC + SIZE_MAGIC, magic, 0, SIZE_MAGIC)) {
      throw new SnapshotFormatException(OFFSET_MAGIC, Rule.BAD_MAGIC,
          "expected 44423230 (\"DB20\"), found " + Hex.encode(Arrays.copyOfRange(bytes, 0, SIZE_MAGIC)));
    }
    in.at = OFFSET_VERSION;
    int version = in.u16("format version");
    if (version != VERSION) {
      throw new SnapshotFormatException(OFFSET_VERSION, Rule.UNKNOWN_VERSION,
          "format version " + version + ", this reader knows only " + VERSION);
    }
    int flags = in.u16("flags");
    if (flags != FLAGS) {
      throw new SnapshotFormatException(OFFSET_FLAGS, Rule.NONZERO_FLAGS,
          "flags 0x" + Integer.toHexString(flags) + ", must be 0 (reserved)");
    }
    long commitIndex = in.u64("commit_index");
    long count = in.u32("entry count");
    long room = (long) bytes.length - in.at - SIZE_CRC;
    if (count > Math.max(0, room) / MIN_ENTRY_SIZE) {
      throw new SnapshotFormatException(OFFSET_ENTRY_COUNT, Rule.LENGTH_PAST_END,
          "entry count " + count + " needs at least " + count * MIN_ENTRY_SIZE
              + " bytes of entries, " + Math.max(0, room) + " remain before the CRC");
    }
    List<SnapshotState.Entry> entries = new ArrayList<>((int) count);
    Bytes previous = null;
    for (long i = 0; i < count; i++) {
      int keyLengthAt = in.at;
      long keyLength = in.u32("key length of entry " + i);
      if (keyLength == 0) {
        throw new SnapshotFormatException(keyLengthAt, Rule.EMPTY_KEY, "entry " + i + " has a key of length 0");
      }
      if (keyLength > MAX_KEY_LEN) {
        throw new SnapshotFormatException(keyLengthAt, Rule.KEY_TOO_LONG,
            "entry " + i + " key length " + keyLength + " exceeds the limit of " + MAX_KEY_LEN + " bytes");
      }
      Bytes key = in.bytes(keyLengthAt, keyLength, "key of entry " + i);
      if (previous != null) {
        int order = previous.compareTo(key);
        if (order == 0) {
          throw new SnapshotFormatException(keyLengthAt, Rule.DUPLICATE_KEY,
              "entry " + i + " repeats key " + key);
        }
        if (order > 0) {
          throw new SnapshotFormatException(keyLengthAt, Rule.KEYS_OUT_OF_ORDER,
              "entry " + i + " key " + key + " sorts before the previous key " + previous);
        }
      }
      int valueLengthAt = in.at;
      long valueLength = in.u32("value length of entry " + i);
      if (valueLength > MAX_VALUE_LEN) {
        throw new SnapshotFormatException(valueLengthAt, Rule.VALUE_TOO_LONG,
            "entry " + i + " value length " + valueLength + " exceeds the limit of " + MAX_VALUE_LEN + " bytes");
      }
      Bytes value = in.bytes(valueLengthAt, valueLength, "value of entry " + i);
      entries.add(new SnapshotState.Entry(key, value));
      previous = key;
    }
    int crcAt = in.at;
    long stored = in.u32("CRC");
    if (in.at != bytes.length) {
      throw new SnapshotFormatException(in.at, Rule.TRAILING_BYTES,
          (bytes.length - in.at) + " bytes after the CRC");
    }
    long computed = Crc32c.of(bytes, 0, crcAt);
    if (stored != computed) {
      throw new SnapshotFormatException(crcAt, Rule.CRC_MISMATCH,
          "stored CRC-32C 0x" + Hex.u32(stored) + ", computed 0x" + Hex.u32(computed));
    }
    return new SnapshotState(commitIndex, entries);
  }

  /** A read position over untrusted bytes; every read checks the bytes remaining first. */
  private static final class Cursor {
    final byte[] buf;
    int at;

    Cursor(byte[] buf) {
      this.buf = buf;
    }

    void need(int size, String field) throws SnapshotFormatException {
      if (buf.length - at < size) {
        throw new SnapshotFormatException(at, Rule.TRUNCATED,
            "buffer ends early: " + field + " needs " + size + " bytes, " + (buf.length - at) + " remain");
      }
    }

    int u16(String field) throws SnapshotFormatException {
      need(2, field);
      int v = LittleEndian.getU16Le(buf, at);
      at += 2;
      return v;
    }

    long u32(String field) throws SnapshotFormatException {
      need(4, field);
      long v = LittleEndian.getU32Le(buf, at);
      at += 4;
      return v;
    }

    long u64(String field) throws SnapshotFormatException {
      need(8, field);
      long v = LittleEndian.getU64Le(buf, at);
      at += 8;
      return v;
    }

    /** The {@code length} bytes at the cursor; {@code lengthAt} is where that length was read. */
    Bytes bytes(int lengthAt, long length, String field) throws SnapshotFormatException {
      if (length > buf.length - at) {
        throw new SnapshotFormatException(lengthAt, Rule.LENGTH_PAST_END,
            field + " of length " + length + " runs past the end: " + (buf.length - at) + " bytes remain");
      }
      Bytes out = Bytes.copyOf(buf, at, (int) length);
      at += (int) length;
      return out;
    }
  }
}
