package dev.db20.workload;

import dev.db20.core.Op;
import java.nio.charset.StandardCharsets;

/**
 * The workload of SPEC §6: each op draws exactly three values {@code r1, r2, r3} from a {@link
 * SplitMix64}, whatever the op turns out to be. {@code r1 >>> 62} picks the kind (0–2 put, 3
 * del); the key is {@code k} and the decimal of {@code r2 mod K}; a put's value is the 8
 * little-endian bytes of {@code r3 mod 10000}.
 */
public final class Workload {
  /** The key space when none is given. */
  public static final long DEFAULT_KEY_SPACE = 16;
  /** Values are {@code r3 mod VALUE_MODULUS}. */
  public static final long VALUE_MODULUS = 10_000;

  private SplitMix64 generator;
  // Invariant: keySpace != 0 (read as unsigned: 1 <= K <= 2^64 - 1).
  private long keySpace;

  /** A workload at seed 0 with the default key space. */
  public Workload() {
    this(0, DEFAULT_KEY_SPACE);
  }

  /**
   * A workload at {@code seed} over {@code keySpace} keys (an unsigned u64, at least 1).
   *
   * @throws IllegalArgumentException if {@code keySpace} is 0
   */
  public Workload(long seed, long keySpace) {
    this.generator = new SplitMix64(seed);
    setKeySpace(keySpace);
  }

  /** Restarts the generator at {@code seed}. */
  public void setSeed(long seed) {
    generator = new SplitMix64(seed);
  }

  /**
   * Sets the key space K, read as an unsigned u64.
   *
   * @throws IllegalArgumentException if {@code keySpace} is 0
   */
  public void setKeySpace(long keySpace) {
    if (keySpace == 0) {
      throw new IllegalArgumentException("key space 0 out of range (must be >= 1)");
    }
    this.keySpace = keySpace;
  }

  /** The key space K. */
  public long keySpace() {
    return keySpace;
  }

  /** Draws three values and decodes them into the next op. */
  public Op nextOp() {
    long r1 = generator.next();
    long r2 = generator.next();
    long r3 = generator.next();
    return decode(r1, r2, r3, keySpace);
  }

  /** Decodes three draws into an op, SPEC §6. */
  public static Op decode(long r1, long r2, long r3, long keySpace) {
    byte[] key = ("k" + Long.toUnsignedString(Long.remainderUnsigned(r2, keySpace)))
        .getBytes(StandardCharsets.US_ASCII);
    if (r1 >>> 62 == 3) {
      return new Op.Del(key);
    }
    long v = Long.remainderUnsigned(r3, VALUE_MODULUS);
    byte[] value = new byte[8];
    dev.db20.wire.LittleEndian.putU64Le(value, 0, v);
    return new Op.Put(key, value);
  }
}
