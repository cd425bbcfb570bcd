package dev.db20.workload;

import dev.db20.api.Op;
import dev.db20.api.OpSink;
import dev.db20.wire.Bytes;
import dev.db20.wire.LittleEndian;

/**
 * The workload of SPEC §6: each op draws exactly three values {@code r1, r2, r3} from a {@link
 * SplitMix64}, whatever the op turns out to be. {@code r1 >>> 62} picks the kind (0–2 put, 3 del);
 * the key is {@code k} and the decimal of {@code r2 mod K}; a put's value is the 8 little-endian
 * bytes of {@code r3 mod 10000}.
 *
 * <p>{@link #next(OpSink)} is the one decoder: it hands each op to a sink as primitives, so a run
 * of millions of ops makes no op object. {@link #nextOp} is the same decode into a typed op.
 */
public final class Workload {
  /** The key space when none is given. */
  public static final long DEFAULT_KEY_SPACE = 16;

  /** Values are {@code r3 mod VALUE_MODULUS}. */
  public static final long VALUE_MODULUS = 10_000;

  private final SplitMix64 generator;
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
    generator.setState(seed);
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

  /**
   * Draws three values, decodes them (SPEC §6) and proposes the op to {@code sink}. A workload op
   * is a few nanoseconds of hashing, and an object per op was the only garbage left in a run of
   * millions of ops; with none, the heap (and so the process's memory) stays flat however long the
   * run.
   *
   * @return what the sink returns: the op's index, or {@link OpSink#REJECTED}
   */
  public long next(OpSink sink) {
    long r1 = generator.next();
    long r2 = generator.next();
    long r3 = generator.next();
    Bytes key = key(Long.remainderUnsigned(r2, keySpace));
    if (r1 >>> 62 == 3) {
      return sink.del(key);
    }
    return sink.put(key, value(Long.remainderUnsigned(r3, VALUE_MODULUS)));
  }

  /** Draws three values and decodes them into the next op: {@link #next(OpSink)} into an op. */
  public Op nextOp() {
    OpCapture capture = new OpCapture();
    next(capture);
    return capture.op;
  }

  /** A sink that keeps the op it is given. */
  private static final class OpCapture implements OpSink {
    Op op;

    @Override
    public long put(Bytes key, Bytes value) {
      op = new Op.Put(key, value);
      return REJECTED;
    }

    @Override
    public long del(Bytes key) {
      op = new Op.Del(key);
      return REJECTED;
    }

    @Override
    public long noop() {
      throw new AssertionError("the workload makes no no-ops");
    }
  }

  // Keys k0..k(2^20 - 1) are made once each and reused: the key of n does not depend on K, and the
  // cache is bounded whatever K is. Larger n are formatted into keyDigits and copied once.
  private static final int KEY_CACHE_LIMIT = 1 << 20;
  private Bytes[] keyCache = new Bytes[0];
  // 'k' then at most 20 decimal digits of a u64.
  private final byte[] keyDigits = new byte[21];
  // r3 mod 10000 leaves 10,000 possible values: each is made once.
  private final Bytes[] valueCache = new Bytes[(int) VALUE_MODULUS];

  // The hot path is kept small so the JIT can inline nextOp into its caller's loop, where the op
  // it returns can then be scalar-replaced (escape analysis): filling the caches is out of line.
  private Bytes key(long n) {
    Bytes[] cache = keyCache;
    if (Long.compareUnsigned(n, cache.length) < 0) {
      Bytes k = cache[(int) n];
      if (k != null) {
        return k;
      }
    }
    return keyMiss(n);
  }

  private Bytes keyMiss(long n) {
    if (Long.compareUnsigned(n, KEY_CACHE_LIMIT) >= 0) {
      return formatKey(n);
    }
    int i = (int) n;
    if (i >= keyCache.length) {
      keyCache =
          java.util.Arrays.copyOf(
              keyCache, (int) Math.min(KEY_CACHE_LIMIT, Math.max(i + 1L, 2L * keyCache.length)));
    }
    Bytes k = formatKey(n);
    keyCache[i] = k;
    return k;
  }

  /** {@code k} followed by the unsigned decimal digits of {@code n}, formatted without a String. */
  private Bytes formatKey(long n) {
    int at = keyDigits.length;
    long rest = n;
    do {
      long q = Long.divideUnsigned(rest, 10);
      keyDigits[--at] = (byte) ('0' + (rest - q * 10));
      rest = q;
    } while (rest != 0);
    keyDigits[--at] = 'k';
    return Bytes.copyOf(keyDigits, at, keyDigits.length - at);
  }

  private Bytes value(long v) {
    Bytes b = valueCache[(int) v];
    return b != null ? b : valueMiss(v);
  }

  private Bytes valueMiss(long v) {
    Bytes b = valueBytes(v);
    valueCache[(int) v] = b;
    return b;
  }

  private static Bytes valueBytes(long v) {
    byte[] value = new byte[8];
    LittleEndian.putU64Le(value, 0, v);
    return Bytes.copyOf(value);
  }
}
