package dev.db20.api;

/**
 * What {@code replica ID} prints of one node.
 *
 * @param commitIndex the node's commit (applied) index, an unsigned u64
 * @param keyCount the number of keys in its state machine
 * @param partitioned whether it is cut off by the cluster's {@link Faults}; always false on a
 *     cluster without them
 */
public record NodeState(long commitIndex, long keyCount, boolean partitioned) {
  /**
   * @throws IllegalArgumentException if {@code keyCount} is negative
   */
  public NodeState {
    if (keyCount < 0) {
      throw new IllegalArgumentException("key count " + keyCount + " is negative");
    }
  }
}
