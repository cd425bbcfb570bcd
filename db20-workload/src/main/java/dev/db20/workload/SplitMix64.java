package dev.db20.workload;

/**
 * splitmix64 (SPEC §6): a counter advanced by the golden gamma, then mixed. All arithmetic wraps
 * modulo 2^64. {@code new SplitMix64(seed)} yields the same stream as {@code new
 * java.util.SplittableRandom(seed).nextLong()}.
 */
public final class SplitMix64 {
  /** The increment: 2^64 divided by the golden ratio, odd. */
  public static final long GAMMA = 0x9e3779b97f4a7c15L;

  private long state;

  /** A generator whose state starts at {@code seed}. */
  public SplitMix64(long seed) {
    this.state = seed;
  }

  /** The finaliser: two xor-shift-multiply rounds and a last xor-shift. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Advances the state by {@link #GAMMA} and returns its mix. */
  public long next() {
    state += GAMMA;
    return mix(state);
  }

  /** Restarts the generator at {@code state}, as {@code new SplitMix64(state)} would. */
  public void setState(long state) {
    this.state = state;
  }

  /** The current state. */
  public long state() {
    return state;
  }
}
