package dev.db20.core;

/**
 * What {@link Cluster#propose} returns. Rejection is a normal outcome of a partitioned cluster,
 * not an error, so it is a value rather than an exception.
 */
public sealed interface ProposeResult permits ProposeResult.Committed, ProposeResult.Rejected {

  /** The op was appended, committed and applied at {@code index} on every reachable replica. */
  record Committed(long index) implements ProposeResult {}

  /** No quorum: the op reached no log and nothing changed (beyond a leader check's catch-up). */
  record Rejected() implements ProposeResult {
    /** The one instance. */
    public static final Rejected INSTANCE = new Rejected();
  }
}
