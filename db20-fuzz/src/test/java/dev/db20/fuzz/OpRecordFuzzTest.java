package dev.db20.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.db20.core.Op;
import dev.db20.core.OpRecord;
import dev.db20.core.OpRecordFormatException;

/**
 * The strict op record reader (SPEC §4.1) on any bytes: they decode to an op whose record is
 * exactly the same bytes, or the reader refuses them with {@link OpRecordFormatException} naming
 * an offset inside the input, having allocated no more than the input could hold
 * ({@link Allocation#limit}). Any other exception is a finding.
 */
class OpRecordFuzzTest {
  static {
    // Load the reader's classes before any input is measured: class loading is not the reader's
    // allocation.
    for (byte[] warm : new byte[][] {new byte[0], new byte[64], {0}, {1, 1, 0, 0, 0, 'a', 0, 0, 0, 0}}) {
      try {
        OpRecord.decode(warm);
      } catch (Exception e) {
        // Refused, as expected for most of these.
      }
    }
  }

  @FuzzTest
  void decode(byte[] input) {
    Op op;
    long before = Allocation.now();
    try {
      op = OpRecord.decode(input);
    } catch (OpRecordFormatException e) {
      checkAllocation(before, input);
      assertTrue(e.offset() >= 0 && e.offset() <= input.length, e.getMessage());
      return;
    }
    checkAllocation(before, input);
    assertArrayEquals(input, OpRecord.encode(op), "a decoded op re-encodes to other bytes");
  }

  private static void checkAllocation(long before, byte[] input) {
    long allocated = Allocation.now() - before;
    assertTrue(allocated <= Allocation.limit(input.length),
        "allocated " + allocated + " bytes for an input of " + input.length);
  }
}
