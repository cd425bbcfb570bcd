package dev.db20.wire;

import java.nio.charset.StandardCharsets;

/**
 * Every offset and size of the canonical snapshot, format version 1 (SPEC §4).
 *
 * <pre>
 * offset size field
 * 0      4    magic "DB20"
 * 4      2    format version, u16 = 1
 * 6      2    flags, u16 = 0
 * 8      8    commit_index, u64
 * 16     4    entry count n, u32
 * 20     ...  n entries: key length u32, key, value length u32, value (sorted by key)
 * end-4  4    CRC-32C of every byte before it, u32
 * </pre>
 *
 * <p>All integers are little-endian. A test checks that each offset is the previous offset plus the
 * previous size, so a field cannot move without the test failing.
 */
public final class SnapshotFormat {
  private SnapshotFormat() {}

  /** The four magic bytes, ASCII {@code DB20}; a fresh copy each call. */
  public static byte[] magic() {
    return MAGIC_BYTES.clone();
  }

  private static final byte[] MAGIC_BYTES = "DB20".getBytes(StandardCharsets.US_ASCII);

  /** The magic read as a little-endian u32 ({@code 0x30324244}). */
  public static final long MAGIC_U32_LE = 0x3032_4244L;

  /** The only format version this code writes or reads. */
  public static final int VERSION = 1;

  /** The only flags value allowed: the field is reserved. */
  public static final int FLAGS = 0;

  public static final int OFFSET_MAGIC = 0;
  public static final int SIZE_MAGIC = 4;
  public static final int OFFSET_VERSION = OFFSET_MAGIC + SIZE_MAGIC;
  public static final int SIZE_VERSION = 2;
  public static final int OFFSET_FLAGS = OFFSET_VERSION + SIZE_VERSION;
  public static final int SIZE_FLAGS = 2;
  public static final int OFFSET_COMMIT_INDEX = OFFSET_FLAGS + SIZE_FLAGS;
  public static final int SIZE_COMMIT_INDEX = 8;
  public static final int OFFSET_ENTRY_COUNT = OFFSET_COMMIT_INDEX + SIZE_COMMIT_INDEX;
  public static final int SIZE_ENTRY_COUNT = 4;

  /** Where the first entry starts; also the size of the fixed header. */
  public static final int HEADER_SIZE = OFFSET_ENTRY_COUNT + SIZE_ENTRY_COUNT;

  /** Size of the u32 length before each key and each value. */
  public static final int SIZE_LENGTH_PREFIX = 4;

  /** Size of the trailing CRC-32C. */
  public static final int SIZE_CRC = 4;

  /** The smallest snapshot: header, no entries, CRC. */
  public static final int MIN_SNAPSHOT_SIZE = HEADER_SIZE + SIZE_CRC;

  /** Shortest key allowed (SPEC §1). */
  public static final int MIN_KEY_LEN = 1;

  /** Longest key allowed (SPEC §1). */
  public static final int MAX_KEY_LEN = 65_535;

  /** Longest value allowed (SPEC §1); the shortest is empty. */
  public static final int MAX_VALUE_LEN = 1_048_576;

  /** The smallest entry on the wire: two length prefixes and a one-byte key. */
  public static final int MIN_ENTRY_SIZE = 2 * SIZE_LENGTH_PREFIX + MIN_KEY_LEN;

  /**
   * The largest snapshot the array API ({@code SnapshotWriter.encode}, {@code
   * SnapshotReader.decode}) holds in one array; see docs/spec-notes.md N9. The streaming API has no
   * such limit: its offsets and sizes are {@code long}.
   */
  public static final int MAX_SNAPSHOT_BYTES = Integer.MAX_VALUE - 8;
}
