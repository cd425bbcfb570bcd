package dev.db20.wire;

import static dev.db20.wire.SnapshotFormat.*;

import java.util.List;

/**
 * Writes the canonical snapshot of SPEC §4: every byte written once into one array of exactly
 * the snapshot's size, known before the first byte is written.
 */
public final class SnapshotWriter {
  private SnapshotWriter() {}

  /**
   * The canonical snapshot of {@code state}; {@code encode(read(b))} equals {@code b}.
   *
   * @throws IllegalArgumentException if a key or value is outside SPEC §1's limits, the keys are
   *     not strictly increasing, or the snapshot would not fit in one array (spec-notes N9)
   */
  public static byte[] encode(SnapshotState state) {
    long payload = 0;
    for (SnapshotState.Entry e : state.entries()) {
      payload += e.encodedSize();
    }
    return encode(state.commitIndex(), state.entries(), payload);
  }

  /**
   * The canonical snapshot of entries whose size the caller already knows: one pass over the
   * entries, writing into one array of exactly {@code MIN_SNAPSHOT_SIZE + payloadBytes}.
   *
   * @param commitIndex the commit index, a u64
   * @param sortedEntries entries in strictly increasing unsigned bytewise key order
   * @param payloadBytes the sum of the entries' {@link SnapshotState.Entry#encodedSize()}
   * @throws IllegalArgumentException as {@link #encode(SnapshotState)}, or if {@code
   *     payloadBytes} is not the entries' size
   */
  public static byte[] encode(long commitIndex, List<SnapshotState.Entry> sortedEntries, long payloadBytes) {
    if (payloadBytes < 0 || payloadBytes > MAX_SNAPSHOT_BYTES - MIN_SNAPSHOT_SIZE) {
      throw new IllegalArgumentException("snapshot of " + payloadBytes + " entry bytes does not fit in one array of at most "
          + MAX_SNAPSHOT_BYTES + " bytes");
    }
    byte[] buf = new byte[(int) (MIN_SNAPSHOT_SIZE + payloadBytes)];
    int at = writeHeader(buf, commitIndex, sortedEntries.size());
    int end = buf.length - SIZE_CRC;
    Bytes previous = null;
    for (int i = 0, n = sortedEntries.size(); i < n; i++) {
      SnapshotState.Entry e = sortedEntries.get(i);
      Bytes key = e.key();
      Bytes value = e.value();
      checkLengths(key.length(), value.length());
      if (previous != null && previous.compareTo(key) >= 0) {
        throw new IllegalArgumentException("keys not strictly increasing: " + previous + " then " + key);
      }
      previous = key;
      if (2L * SIZE_LENGTH_PREFIX + key.length() + value.length() > end - at) {
        throw new IllegalArgumentException("entries exceed the payload size given, " + payloadBytes + " bytes");
      }
      at = writeBytes(buf, at, key);
      at = writeBytes(buf, at, value);
    }
    if (at != end) {
      throw new IllegalArgumentException("entries fill " + (at - HEADER_SIZE) + " bytes, payload size given is " + payloadBytes);
    }
    writeCrc(buf, at);
    return buf;
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

  private static int writeBytes(byte[] buf, int at, Bytes bytes) {
    LittleEndian.putU32Le(buf, at, bytes.length());
    bytes.copyTo(buf, at + SIZE_LENGTH_PREFIX);
    return at + SIZE_LENGTH_PREFIX + bytes.length();
  }

  private static void writeCrc(byte[] buf, int crcOffset) {
    LittleEndian.putU32Le(buf, crcOffset, Crc32c.of(buf, 0, crcOffset));
  }
}
