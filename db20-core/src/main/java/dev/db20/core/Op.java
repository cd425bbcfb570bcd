package dev.db20.core;

import static com.google.common.base.Preconditions.checkArgument;

import dev.db20.wire.Hex;
import dev.db20.wire.SnapshotFormat;
import java.util.Arrays;

/**
 * One operation of SPEC §1. Ops are immutable values: constructors copy the bytes they are given
 * and accessors hand out copies, so one op object can sit in every replica's log at once.
 *
 * <p>Limits are checked at construction, before an op can reach any log: a key is 1 to 65,535
 * bytes, a value 0 to 1,048,576 bytes.
 */
public sealed interface Op permits Op.NoOp, Op.Put, Op.Del {

  /** Longest key, SPEC §1. */
  int MAX_KEY_LEN = SnapshotFormat.MAX_KEY_LEN;
  /** Longest value, SPEC §1. */
  int MAX_VALUE_LEN = SnapshotFormat.MAX_VALUE_LEN;

  /** The op's tag in the op record of SPEC §4.1. */
  int tag();

  /** Commits and changes nothing; takes a log index like every op. */
  record NoOp() implements Op {
    /** The one instance worth having. */
    public static final NoOp INSTANCE = new NoOp();

    @Override
    public int tag() {
      return 0;
    }
  }

  /** Sets {@code key} to {@code value}, inserting or replacing. */
  record Put(byte[] key, byte[] value) implements Op {
    /**
     * @throws IllegalArgumentException if the key or value length is outside SPEC §1's limits
     */
    public Put {
      checkKey(key);
      checkArgument(value.length <= MAX_VALUE_LEN,
          "value length %s exceeds the limit of %s bytes", value.length, MAX_VALUE_LEN);
      key = key.clone();
      value = value.clone();
    }

    /** A copy of the key. */
    @Override
    public byte[] key() {
      return key.clone();
    }

    /** A copy of the value. */
    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public int tag() {
      return 1;
    }

    // The replicas' state machines hold the op's own arrays: ops are immutable, so sharing
    // them is safe and saves a copy per replica.
    byte[] keyRef() {
      return key;
    }

    byte[] valueRef() {
      return value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Put p && Arrays.equals(key, p.key) && Arrays.equals(value, p.value);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Put[" + Hex.encode(key) + "=" + Hex.encode(value) + "]";
    }
  }

  /** Removes {@code key}; an absent key is no change. */
  record Del(byte[] key) implements Op {
    /**
     * @throws IllegalArgumentException if the key length is outside SPEC §1's limits
     */
    public Del {
      checkKey(key);
      key = key.clone();
    }

    /** A copy of the key. */
    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public int tag() {
      return 2;
    }

    byte[] keyRef() {
      return key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Del d && Arrays.equals(key, d.key);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
      return "Del[" + Hex.encode(key) + "]";
    }
  }

  private static void checkKey(byte[] key) {
    checkArgument(key.length >= 1, "key length 0 is below the minimum of 1 byte");
    checkArgument(key.length <= MAX_KEY_LEN,
        "key length %s exceeds the limit of %s bytes", key.length, MAX_KEY_LEN);
  }
}
