package dev.db20.wire;

import static dev.db20.wire.SnapshotFormat.*;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Writes the canonical snapshot of SPEC §4: every byte written once into one array of exactly
 * the snapshot's size, known before the first byte is written.
 */
public final class SnapshotWriter {
  private SnapshotWriter() {}

  /**
   * The canonical snapshot of a state, sizing it from the entries first.
   *
   * @param commitIndex the commit index, a u64
   * @param sortedEntries entries in strictly increasing unsigned bytewise key order; the arrays
   *     are read, never kept
   * @throws IllegalArgumentException if a key or value is outside SPEC §1's limits, the keys are
   *     not strictly increasing, or the snapshot would not fit in one array (spec-notes N9)
   */
  public static byte[] encode(long commitIndex, Collection<? extends Map.Entry<byte[], byte[]>> sortedEntries) {
    long payload = 0;
    for (Map.Entry<byte[], byte[]> e : sortedEntries) {
      payload += 2L * SIZE_LENGTH_PREFIX + e.getKey().length + e.getValue().length;
    }
    return encode(commitIndex, sortedEntries, payload);
  }

  /**
   * The canonical snapshot of a state whose entry bytes the caller already knows: one pass over
   * the entries, writing into one array of exactly {@code MIN_SNAPSHOT_SIZE + payloadBytes}.
   *
   * @param payloadBytes the sum over entries of {@code 8 + key.length + value.length}
   * @throws IllegalArgumentException as {@link #encode(long, Collection)}, or if {@code
   *     payloadBytes} is not the entries' size
   */
  public static byte[] encode(
      long commitIndex, Collection<? extends Map.Entry<byte[], byte[]>> sortedEntries, long payloadBytes) {
    if (payloadBytes < 0 || payloadBytes > MAX_SNAPSHOT_BYTES - MIN_SNAPSHOT_SIZE) {
      throw new IllegalArgumentException("snapshot of " + payloadBytes + " entry bytes does not fit in one array of at most "
          + MAX_SNAPSHOT_BYTES + " bytes");
    }
    byte[] buf = new byte[(int) (MIN_SNAPSHOT_SIZE + payloadBytes)];
    int at = writeHeader(buf, commitIndex, sortedEntries.size());
    byte[] previous = null;
    for (Map.Entry<byte[], byte[]> e : sortedEntries) {
      byte[] key = e.getKey();
      byte[] value = e.getValue();
      checkLengths(key.length, value.length);
      if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
        throw new IllegalArgumentException(
            "keys not strictly increasing: " + Hex.encode(previous) + " then " + Hex.encode(key));
      }
      previous = key;
      if (2L * SIZE_LENGTH_PREFIX + key.length + value.length > buf.length - SIZE_CRC - at) {
        throw new IllegalArgumentException("entries exceed the payload size given, " + payloadBytes + " bytes");
      }
      at = writeBytes(buf, at, key);
      at = writeBytes(buf, at, value);
    }
    if (at != buf.length - SIZE_CRC) {
      throw new IllegalArgumentException("entries fill " + (at - HEADER_SIZE) + " bytes, payload size given is " + payloadBytes);
    }
    writeCrc(buf, at);
    return buf;
  }

  /** The canonical snapshot of a decoded state; {@code encode(loadState(b))} equals {@code b}. */
  public static byte[] encode(SnapshotState state) {
    return encode(
        state.commitIndex(),
        state.entries().stream().map(e -> Map.entry(e.keyBytes(), e.valueBytes())).toList());
  }

  private static void checkLengths(int keyLength, int valueLength) {
    if (keyLength < MIN_KEY_LEN || keyLength > MAX_KEY_LEN) {
      throw new IllegalArgumentException(
          "key length " + keyLength + " outside " + MIN_KEY_LEN + ".." + MAX_KEY_LEN);
    }
    if (valueLength > MAX_VALUE_LEN) {
      throw new IllegalArgumentException(
          "value length " + valueLength + " exceeds the limit of " + MAX_VALUE_LEN + " bytes");
    }
  }

  private static int writeHeader(byte[] buf, long commitIndex, int count) {
    System.arraycopy(magic(), 0, buf, OFFSET_MAGIC, SIZE_MAGIC);
    LittleEndian.putU16Le(buf, OFFSET_VERSION, VERSION);
    LittleEndian.putU16Le(buf, OFFSET_FLAGS, FLAGS);
    LittleEndian.putU64Le(buf, OFFSET_COMMIT_INDEX, commitIndex);
    LittleEndian.putU32Le(buf, OFFSET_ENTRY_COUNT, count);
    return HEADER_SIZE;
  }

  private static int writeBytes(byte[] buf, int at, byte[] bytes) {
    LittleEndian.putU32Le(buf, at, bytes.length);
    System.arraycopy(bytes, 0, buf, at + SIZE_LENGTH_PREFIX, bytes.length);
    return at + SIZE_LENGTH_PREFIX + bytes.length;
  }

  private static void writeCrc(byte[] buf, int crcOffset) {
    LittleEndian.putU32Le(buf, crcOffset, Crc32c.of(buf, 0, crcOffset));
  }
}
