package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void smallValuesAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (long v = 1; v <= 100; v++) {
      h.record(v);
    }
    assertEquals(100, h.count());
    assertEquals(50, h.quantile(0.50));
    assertEquals(99, h.quantile(0.99));
    assertEquals(100, h.quantile(1.0));
  }

  @Test
  void everyValueLiesInItsBucketAndBucketsAreNarrow() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 100_000; i++) {
      long v = r.nextLong(Long.MAX_VALUE >>> r.nextInt(63));
      int b = LatencyHistogram.bucket(v);
      long high = LatencyHistogram.highest(b);
      assertTrue(v <= high, v + " above its bucket's top " + high);
      long low = b == 0 ? 0 : LatencyHistogram.highest(b - 1) + 1;
      assertTrue(v >= low, v + " below its bucket's bottom " + low);
      assertTrue(
          high - low <= Math.max(0, low / 64), "bucket " + b + " [" + low + ", " + high + "]");
    }
    assertEquals(Long.MAX_VALUE, LatencyHistogram.highest(LatencyHistogram.bucket(Long.MAX_VALUE)));
  }

  @Test
  void quantilesAreWithinOneSixtyFourthOfTheSortedValues() {
    SplittableRandom r = new SplittableRandom(9);
    long[] values = new long[20_001];
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < values.length; i++) {
      values[i] = 100_000 + r.nextLong(50_000_000); // 0.1 .. 50 ms
      h.record(values[i]);
    }
    Arrays.sort(values);
    for (double q : new double[] {0.5, 0.9, 0.99}) {
      long exact = values[(int) Math.ceil(q * values.length) - 1];
      long got = h.quantile(q);
      assertTrue(got >= exact && got <= exact + exact / 64, q + ": " + got + " vs " + exact);
    }
  }

  @Test
  void badInputIsRefusedWithTheValue() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(
        "negative latency -1",
        assertThrows(IllegalArgumentException.class, () -> h.record(-1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> h.quantile(0));
    assertEquals(0, h.quantile(0.5));
  }
}
