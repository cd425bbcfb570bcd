package dev.db20.api;

import dev.db20.wire.Bytes;

/** What {@code read(key)} of SPEC §3 returns: the leader's value, no value, or a rejection. */
public sealed interface ReadResult
    permits ReadResult.Value, ReadResult.Missing, ReadResult.Rejected {

  /**
   * The key has this value on the leader.
   *
   * @param bytes the value
   */
  record Value(Bytes bytes) implements ReadResult {}

  /** The key is absent on the leader. */
  record Missing() implements ReadResult {
    /** The one instance. */
    public static final Missing INSTANCE = new Missing();
  }

  /** The leader is cut off without a quorum, or no quorum is reachable. */
  record Rejected() implements ReadResult {
    /** The one instance. */
    public static final Rejected INSTANCE = new Rejected();
  }
}
