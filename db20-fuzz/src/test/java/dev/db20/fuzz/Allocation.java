package dev.db20.fuzz;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the current thread, for the property "a reader never allocates more than the
 * input could hold" (SPEC §4: a count or length is checked against the bytes that remain before
 * anything is allocated). HotSpot counts every allocation per thread; the bound the targets use
 * leaves room for per-entry object headers and an error message, but not for an array sized from an
 * unchecked count (a 4-byte count of 2^30 in a 30-byte input).
 */
final class Allocation {
  private Allocation() {}

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static {
    THREADS.setThreadAllocatedMemoryEnabled(true);
  }

  /**
   * Asserts that {@code call} allocates at most {@link #limit}({@code inputLength}) bytes. Over the
   * limit, the call is measured once more before failing: the first pass through a path loads
   * classes, and under the fuzzer loading a class instruments it in the loading thread (megabytes,
   * once). An allocation sized from the input repeats; class loading does not.
   */
  static void check(Runnable call, int inputLength) {
    long allocated = measure(call);
    if (allocated > limit(inputLength)) {
      allocated = measure(call);
    }
    if (allocated > limit(inputLength)) {
      throw new AssertionError("allocated " + allocated + " bytes for an input of " + inputLength);
    }
  }

  private static long measure(Runnable call) {
    long before = now();
    call.run();
    return now() - before;
  }

  /** Bytes the current thread has allocated so far. */
  static long now() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /**
   * What a reader may allocate for {@code inputLength} bytes: the objects of the decoded value (an
   * entry of 9 input bytes becomes two byte arrays, two {@code Bytes}, an entry and a list slot:
   * about 120 bytes) and a fixed allowance of 1 MiB: the first pass through an error path loads
   * classes and links its string concatenation, a few hundred kB once. An array sized from an
   * unchecked count or length (4 bytes can say 2^32) is far beyond it.
   */
  static long limit(int inputLength) {
    return 32L * inputLength + (1 << 20);
  }
}
