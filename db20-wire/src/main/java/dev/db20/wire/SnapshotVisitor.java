package dev.db20.wire;

import java.nio.ByteBuffer;

/**
 * Receives a snapshot's parts in file order while a streaming {@link SnapshotReader#read read}
 * checks them, so a caller can handle a snapshot of any size in bounded memory.
 *
 * <p>The CRC is the last thing checked: every callback may arrive before the reader refuses the
 * snapshot. Treat what was visited as provisional until {@code read} returns normally.
 */
@FunctionalInterface
public interface SnapshotVisitor {
  /** A visitor that ignores every part: reading with it only checks the snapshot. */
  SnapshotVisitor CHECK_ONLY =
      new SnapshotVisitor() {
        @Override
        public void entry(long index, long offset, Bytes key, Bytes value) {}

        @Override
        public void entry(long index, long offset, ByteBuffer key, ByteBuffer value) {}
      };

  /**
   * The header, after its fields passed their checks and before the first entry.
   *
   * @param commitIndex the commit index, a u64 (Java's long holds it as two's complement)
   * @param entryCount the entry count, a u32 in 0..4,294,967,295
   */
  default void header(long commitIndex, long entryCount) {}

  /**
   * One entry, after its lengths and key order passed their checks.
   *
   * @param index the entry's index, 0 for the first
   * @param offset the byte offset of the entry's key length prefix
   * @param key the key, 1 to 65,535 bytes, greater than the previous entry's key
   * @param value the value, 0 to 1,048,576 bytes
   */
  void entry(long index, long offset, Bytes key, Bytes value);

  /**
   * One entry, as views of the reader's buffers: what the reader calls. A visitor that overrides it
   * reads every entry without an allocation; the default copies the two fields into {@link Bytes}
   * and calls {@link #entry(long, long, Bytes, Bytes)}.
   *
   * <p>Each view is read-only and holds the field between its position and its limit. Both are
   * valid only during the call: the reader reuses their buffers for the next entry, so copy what
   * must outlive it ({@link Bytes#copyOf(ByteBuffer)}). A visitor may move their positions.
   *
   * @param index the entry's index, 0 for the first
   * @param offset the byte offset of the entry's key length prefix
   * @param key the key, 1 to 65,535 bytes, greater than the previous entry's key
   * @param value the value, 0 to 1,048,576 bytes
   */
  default void entry(long index, long offset, ByteBuffer key, ByteBuffer value) {
    entry(index, offset, Bytes.copyOf(key), Bytes.copyOf(value));
  }
}
