package dev.db20.core;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;

/** The whole log in memory, one reference per entry. */
final class ArrayReplicaLog implements ReplicaLog {
  // Invariant: entries.get(i) is the op at log index i + 1.
  private final ArrayList<Op> entries;

  ArrayReplicaLog() {
    this.entries = new ArrayList<>();
  }

  private ArrayReplicaLog(ArrayList<Op> entries) {
    this.entries = entries;
  }

  @Override
  public long size() {
    return entries.size();
  }

  @Override
  public Op get(long index) {
    if (index < 1 || index > entries.size()) {
      throw new IndexOutOfBoundsException("log index " + index + " outside 1.." + entries.size());
    }
    return entries.get((int) (index - 1));
  }

  @Override
  public void append(Op op) {
    if (entries.size() == Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("in-memory log full at " + entries.size() + " entries");
    }
    entries.add(op);
  }

  @Override
  public ReplicaLog prefix(long count) {
    checkArgument(count >= 0 && count <= entries.size(),
        "prefix of %s entries from a log of %s", count, entries.size());
    return new ArrayReplicaLog(new ArrayList<>(entries.subList(0, (int) count)));
  }
}
