package dev.db20.api;

import dev.db20.wire.Bytes;
import dev.db20.wire.SnapshotFormat;

/**
 * One operation of SPEC §1. Ops are immutable values over {@link Bytes}, so one op can be applied,
 * logged and encoded without a copy.
 *
 * <p>Limits are checked at construction, before an op can reach any state: a key is 1 to 65,535
 * bytes, a value 0 to 1,048,576 bytes. These constants are the one definition of SPEC §1's limits
 * (the snapshot format's, {@link SnapshotFormat}); the script runner and the op record reader use
 * them.
 *
 * <p>{@link #proposeTo} hands the op to an {@link OpSink}: the one dispatch from a typed op to the
 * primitive put, del and noop every cluster implements.
 */
public sealed interface Op permits Op.NoOp, Op.Put, Op.Del {

  /** Shortest key, SPEC §1. */
  int MIN_KEY_LEN = SnapshotFormat.MIN_KEY_LEN;

  /** Longest key, SPEC §1. */
  int MAX_KEY_LEN = SnapshotFormat.MAX_KEY_LEN;

  /** Longest value, SPEC §1. */
  int MAX_VALUE_LEN = SnapshotFormat.MAX_VALUE_LEN;

  /**
   * Proposes this op to {@code sink}: {@code sink.put(key, value)}, {@code sink.del(key)} or {@code
   * sink.noop()}.
   *
   * @return what the sink returns: the index the op committed at, or {@link OpSink#REJECTED}
   */
  long proposeTo(OpSink sink);

  /** Commits and changes nothing; takes a log index like every op. */
  record NoOp() implements Op {
    /** The one instance worth having. */
    public static final NoOp INSTANCE = new NoOp();

    @Override
    public long proposeTo(OpSink sink) {
      return sink.noop();
    }
  }

  /**
   * Sets {@code key} to {@code value}, inserting or replacing.
   *
   * @param key 1 to 65,535 bytes
   * @param value 0 to 1,048,576 bytes
   */
  record Put(Bytes key, Bytes value) implements Op {
    /**
     * @throws IllegalArgumentException if the key or value length is outside SPEC §1's limits
     */
    public Put {
      checkKey(key);
      checkValue(value);
    }

    @Override
    public long proposeTo(OpSink sink) {
      return sink.put(key, value);
    }

    @Override
    public String toString() {
      return "Put[" + key + "=" + value + "]";
    }
  }

  /**
   * Removes {@code key}; an absent key is no change.
   *
   * @param key 1 to 65,535 bytes
   */
  record Del(Bytes key) implements Op {
    /**
     * @throws IllegalArgumentException if the key length is outside SPEC §1's limits
     */
    public Del {
      checkKey(key);
    }

    @Override
    public long proposeTo(OpSink sink) {
      return sink.del(key);
    }

    @Override
    public String toString() {
      return "Del[" + key + "]";
    }
  }

  /**
   * The message SPEC §1's key limit gives for a key of {@code length} bytes, or null if the length
   * is within the limit. One text for the script runner and the constructors.
   */
  static String keyLimitError(long length) {
    if (length < MIN_KEY_LEN) {
      return "key length " + length + " is below the minimum of " + MIN_KEY_LEN + " byte";
    }
    if (length > MAX_KEY_LEN) {
      return "key length " + length + " exceeds the limit of " + MAX_KEY_LEN + " bytes";
    }
    return null;
  }

  /** As {@link #keyLimitError} for a value. */
  static String valueLimitError(long length) {
    return length > MAX_VALUE_LEN
        ? "value length " + length + " exceeds the limit of " + MAX_VALUE_LEN + " bytes"
        : null;
  }

  /** Refuses a key outside SPEC §1's limits, as the constructors do. */
  static void checkKey(Bytes key) {
    if (key == null) {
      throw new IllegalArgumentException("key is null");
    }
    String error = keyLimitError(key.length());
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
  }

  /** Refuses a value outside SPEC §1's limits, as the constructors do. */
  static void checkValue(Bytes value) {
    if (value == null) {
      throw new IllegalArgumentException("value is null");
    }
    String error = valueLimitError(value.length());
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
  }
}
