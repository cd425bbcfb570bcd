package dev.db20.api;

import dev.db20.wire.Bytes;

/**
 * Where proposed ops go, as primitives: the model, a client of a real cluster, or a test's
 * recorder. The workload of SPEC §6 decodes its draws straight into a sink, so a run of millions of
 * ops makes no op object at all; {@link Op#proposeTo} is the one dispatch from a typed op.
 *
 * <p>Each method returns the index the op was committed at (from 1), or {@link #REJECTED}.
 */
public interface OpSink {
  /** What a sink returns for a rejected op: no op is ever committed at index 0. */
  long REJECTED = 0;

  /**
   * Proposes {@code Put(key, value)}.
   *
   * @throws IllegalArgumentException if the key or value is outside SPEC §1's limits
   */
  long put(Bytes key, Bytes value);

  /**
   * Proposes {@code Del(key)}.
   *
   * @throws IllegalArgumentException if the key is outside SPEC §1's limits
   */
  long del(Bytes key);

  /** Proposes {@code NoOp}. */
  long noop();
}
