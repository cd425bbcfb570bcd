package dev.db20.wire;

/**
 * What a streaming {@link SnapshotReader#read read} learned about a snapshot it accepted.
 *
 * @param commitIndex the commit index, a u64 (Java's long holds it as two's complement)
 * @param entryCount the number of entries, a u32
 * @param size the snapshot's size in bytes, CRC included
 * @param crc32c the CRC-32C stored in the last four bytes, equal to the one computed
 */
public record SnapshotSummary(long commitIndex, long entryCount, long size, long crc32c) {
  /** The byte offset of the trailing CRC-32C. */
  public long crcOffset() {
    return size - SnapshotFormat.SIZE_CRC;
  }

  /** The bytes of all the entries: from the end of the header to the CRC. */
  public long payloadSize() {
    return crcOffset() - SnapshotFormat.HEADER_SIZE;
  }
}
