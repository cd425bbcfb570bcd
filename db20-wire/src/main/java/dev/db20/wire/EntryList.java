package dev.db20.wire;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The entries {@link SnapshotReader#decode(byte[])} made, as an unmodifiable list over the arrays
 * it filled in one pass: {@link SnapshotState} keeps it as it is instead of copying it again.
 * Package-private, and only made by its {@link Builder}, over arrays nothing else holds, which
 * keeps it immutable.
 *
 * <p>The entries are held in chunks of {@value #CHUNK} references, not in one array: one array of
 * 10^6 references (4 MB) is a humongous object to G1, placed in the old generation at once, so
 * every entry it points to survives young collections until a concurrent mark finds the array dead
 * — decoding a large snapshot and dropping it then promotes (copies) every key, value and entry of
 * it. A 16 KiB chunk is an ordinary young object, and a dropped state dies young.
 */
final class EntryList extends AbstractList<SnapshotState.Entry> implements RandomAccess {
  /** log2 of {@link #CHUNK}. */
  private static final int CHUNK_SHIFT = 12;

  /**
   * Entries per chunk: 4,096 references, 16 KiB with compressed references (32 KiB without), far
   * below G1's smallest humongous threshold (half of a 1 MiB region).
   */
  static final int CHUNK = 1 << CHUNK_SHIFT;

  private static final SnapshotState.Entry[][] NO_CHUNKS = new SnapshotState.Entry[0][];

  private final SnapshotState.Entry[][] chunks;
  private final int size;

  private EntryList(SnapshotState.Entry[][] chunks, int size) {
    this.chunks = chunks;
    this.size = size;
  }

  @Override
  public SnapshotState.Entry get(int index) {
    Objects.checkIndex(index, size);
    return chunks[index >>> CHUNK_SHIFT][index & (CHUNK - 1)];
  }

  @Override
  public int size() {
    return size;
  }

  /** Fills an {@link EntryList} of a size known up front, in order, one chunk at a time. */
  static final class Builder {
    private final SnapshotState.Entry[][] chunks;
    private final int size;
    private SnapshotState.Entry[] chunk;
    private int n;

    /** A builder for exactly {@code size} entries. */
    Builder(int size) {
      assert size >= 0 : size;
      this.size = size;
      this.chunks =
          size == 0 ? NO_CHUNKS : new SnapshotState.Entry[((size - 1) >>> CHUNK_SHIFT) + 1][];
    }

    /** Appends {@code e}, the next entry. */
    void add(SnapshotState.Entry e) {
      assert e != null : "a null entry";
      int slot = n & (CHUNK - 1);
      if (slot == 0) {
        // Each chunk is made when the first entry for it comes, next to the entries it holds.
        chunk = new SnapshotState.Entry[Math.min(CHUNK, size - n)];
        chunks[n >>> CHUNK_SHIFT] = chunk;
      }
      chunk[slot] = e;
      n++;
    }

    /** The list, once all {@code size} entries have been added. */
    EntryList build() {
      if (n != size) {
        throw new IllegalStateException(n + " entries added to a list of " + size);
      }
      return new EntryList(chunks, size);
    }
  }
}
