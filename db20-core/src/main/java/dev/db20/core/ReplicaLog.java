package dev.db20.core;

/**
 * A replica's log: entries at indexes 1, 2, 3, …, each holding one op. An interface so that a
 * later implementation can compact the log behind a snapshot (SPEC §2 allows it) without
 * {@link Replica} changing.
 *
 * <p>Entries are shared, immutable {@link Op} objects: appending the same op to five logs stores
 * five references, not five copies.
 */
public interface ReplicaLog {
  /** Number of entries; the index of the last entry. */
  long size();

  /**
   * The op at {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 1 <= index <= size()}
   */
  Op get(long index);

  /** Appends {@code op} at index {@code size() + 1}. */
  void append(Op op);

  /** A new log holding this log's first {@code count} entries (the ops shared, not copied). */
  ReplicaLog prefix(long count);

  /** A new, empty log of the same kind. */
  static ReplicaLog empty() {
    return new ArrayReplicaLog();
  }
}
