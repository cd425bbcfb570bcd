package dev.db20.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.db20.api.Op;
import dev.db20.core.OpRecord;
import dev.db20.core.OpRecordFormatException;

/**
 * The strict op record reader (SPEC §4.1) on any bytes: they decode to an op whose record is
 * exactly the same bytes, or the reader refuses them with {@link OpRecordFormatException} naming an
 * offset inside the input, having allocated no more than the input could hold ({@link
 * Allocation#limit}). Any other exception is a finding.
 */
class OpRecordFuzzTest {
  @FuzzTest
  void decode(byte[] input) {
    Op op;
    try {
      op = OpRecord.decode(input);
    } catch (OpRecordFormatException e) {
      // The offset names a place in the input (the end, for a missing field), never beyond.
      assertTrue(e.offset() >= 0 && e.offset() <= input.length, e.getMessage());
      Allocation.check(() -> readAgain(input), input.length);
      return;
    }
    assertArrayEquals(input, OpRecord.encode(op), "a decoded input re-encodes to other bytes");
    Allocation.check(() -> readAgain(input), input.length);
  }

  /** Reads {@code input} again, for the allocation measure; the outcome was checked above. */
  private static void readAgain(byte[] input) {
    try {
      OpRecord.decode(input);
    } catch (OpRecordFormatException e) {
      // Expected for most inputs.
    }
  }
}
