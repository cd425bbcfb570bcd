package dev.db20.core;

import dev.db20.wire.Bytes;

/**
 * The sort behind a snapshot: the slots of a hash table's keys in unsigned bytewise key order.
 *
 * <p>A merge sort of primitive pairs, each a key's first eight bytes (big-endian, zero-padded: its
 * <em>prefix</em>) and its slot. Two keys with different prefixes are ordered by the prefixes
 * alone, one {@code long} compare; only keys whose first eight bytes agree are compared whole. If a
 * key sorts before another, its prefix is not greater (a key that is a proper prefix of another
 * pads with zeros, the least byte), so ordering by prefix and then by the whole key is key order.
 * Keys are mostly short (the workload's are {@code k} and up to six digits for a key space of a
 * million), so almost every compare is the first kind. Measured against {@code Arrays.sort} of the
 * entries with {@code Bytes::compareTo} (db20-bench {@code StateMapBench.sortedWalkHash},
 * 100,000-key space, docs/benchmarks.md): 10 ms against 30 ms warm; cold with C1, as {@code db20
 * run}'s one digest pays it, 16-29 ms against 43-66 ms.
 */
final class KeyOrder {
  private KeyOrder() {}

  /**
   * The indices of the non-null elements of {@code keys}, which are distinct, in key order.
   *
   * @throws IllegalArgumentException if {@code live} is not the number of non-null elements
   */
  static int[] sortedSlots(Bytes[] keys, int live) {
    long[] prefix = new long[live];
    int[] slot = new int[live];
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        if (n == live) {
          throw new IllegalArgumentException("more than " + live + " keys in the table");
        }
        prefix[n] = prefixU64Be(keys[i]) ^ Long.MIN_VALUE;
        slot[n++] = i;
      }
    }
    if (n != live) {
      throw new IllegalArgumentException(n + " keys in the table, not " + live);
    }
    return mergeSort(keys, prefix, slot);
  }

  /**
   * The first eight bytes of {@code key} as a big-endian number, the missing bytes of a shorter key
   * taken as zero: unsigned order of prefixes agrees with key order wherever they differ.
   */
  static long prefixU64Be(Bytes key) {
    int n = Math.min(key.length(), Long.BYTES);
    long p = 0;
    for (int i = 0; i < n; i++) {
      p = (p << Byte.SIZE) | (key.byteAt(i) & 0xff);
    }
    return p << (Byte.SIZE * (Long.BYTES - n));
  }

  /**
   * Bottom-up merge sort of the pairs {@code (prefix[i], slot[i])}; prefixes are flipped in their
   * sign bit, so signed order is the unsigned order of the prefixes. Returns the sorted slots.
   */
  private static int[] mergeSort(Bytes[] keys, long[] prefix, int[] slot) {
    int n = slot.length;
    // A table holds at most 2^29 keys (half its largest capacity, 2^30); with n <= 2^30, width is
    // at most 2^29 and lo below 2^30, so lo + 2 * width stays below 2^31.
    assert n <= 1 << 30 : n;
    long[] p = prefix;
    int[] s = slot;
    long[] q = new long[n];
    int[] t = new int[n];
    for (int width = 1; width < n; width <<= 1) {
      for (int lo = 0; lo < n; lo += width << 1) {
        int mid = Math.min(lo + width, n);
        merge(keys, p, s, q, t, lo, mid, Math.min(lo + (width << 1), n));
      }
      long[] pq = p;
      p = q;
      q = pq;
      int[] st = s;
      s = t;
      t = st;
    }
    return s;
  }

  /**
   * Merges the sorted runs {@code [lo, mid)} and {@code [mid, hi)} of {@code p, s} into {@code q,
   * t}.
   */
  private static void merge(
      Bytes[] keys, long[] p, int[] s, long[] q, int[] t, int lo, int mid, int hi) {
    int i = lo;
    int j = mid;
    for (int k = lo; k < hi; k++) {
      boolean left =
          j == hi
              || (i < mid
                  && (p[i] < p[j] || (p[i] == p[j] && keys[s[i]].compareTo(keys[s[j]]) < 0)));
      if (left) {
        q[k] = p[i];
        t[k] = s[i++];
      } else {
        q[k] = p[j];
        t[k] = s[j++];
      }
    }
  }
}
