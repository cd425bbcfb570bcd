package dev.db20.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The allocation probe the fuzz targets rely on does see an allocation sized from a count. */
class AllocationTest {
  static volatile Object sink;

  @Test
  void seesALargeArray() {
    long before = Allocation.now();
    sink = new Object[1 << 20]; // what `new ArrayList<>(count)` with an unchecked count does
    long allocated = Allocation.now() - before;
    assertTrue(allocated >= 4L << 20, "allocated " + allocated);
    assertTrue(allocated > Allocation.limit(30), "a 30-byte input may not allocate this much");
  }
}
