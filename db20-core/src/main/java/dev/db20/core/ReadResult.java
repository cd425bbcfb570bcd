package dev.db20.core;

import dev.db20.wire.Hex;
import java.util.Arrays;

/** What {@link Cluster#read} returns: the leader's value, no value, or no quorum. */
public sealed interface ReadResult permits ReadResult.Value, ReadResult.Missing, ReadResult.Rejected {

  /** The leader's state machine holds {@code bytes} for the key. */
  record Value(byte[] bytes) implements ReadResult {
    /** Copies {@code bytes}. */
    public Value {
      bytes = bytes.clone();
    }

    /** A copy of the value. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Value v && Arrays.equals(bytes, v.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Value[" + Hex.encode(bytes) + "]";
    }
  }

  /** The leader's state machine has no such key. */
  record Missing() implements ReadResult {
    /** The one instance. */
    public static final Missing INSTANCE = new Missing();
  }

  /** No quorum: nothing was read. */
  record Rejected() implements ReadResult {
    /** The one instance. */
    public static final Rejected INSTANCE = new Rejected();
  }
}
