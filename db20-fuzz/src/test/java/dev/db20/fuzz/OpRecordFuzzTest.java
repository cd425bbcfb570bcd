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
 * an offset inside the input. Any other exception is a finding.
 */
class OpRecordFuzzTest {
  @FuzzTest
  void decode(byte[] input) {
    Op op;
    try {
      op = OpRecord.decode(input);
    } catch (OpRecordFormatException e) {
      assertTrue(e.offset() >= 0 && e.offset() <= input.length, e.getMessage());
      return;
    }
    assertArrayEquals(input, OpRecord.encode(op), "a decoded op re-encodes to other bytes");
  }
}
