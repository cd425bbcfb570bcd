package dev.db20.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.db20.wire.SnapshotFormatException;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotState;
import dev.db20.wire.SnapshotWriter;

/**
 * The strict snapshot reader (SPEC §4) on any bytes: they decode to a state that re-encodes to
 * exactly the same bytes, or the reader refuses them with {@link SnapshotFormatException} naming
 * an offset inside the input, having allocated no more than the input could hold
 * ({@link Allocation#limit}). Any other exception is a finding.
 */
class SnapshotReaderFuzzTest {
  static {
    // Load the reader's classes before any input is measured: class loading is not the reader's
    // allocation.
    for (byte[] warm : new byte[][] {new byte[0], new byte[64], {0}, {1, 1, 0, 0, 0, 'a', 0, 0, 0, 0}}) {
      try {
        SnapshotReader.loadState(warm);
      } catch (Exception e) {
        // Refused, as expected for most of these.
      }
    }
  }

  @FuzzTest
  void loadState(byte[] input) {
    SnapshotState state;
    long before = Allocation.now();
    try {
      state = SnapshotReader.loadState(input);
    } catch (SnapshotFormatException e) {
      checkAllocation(before, input);
      // The offset names a place in the input (the end, for a missing field), never beyond.
      assertTrue(e.offset() >= 0 && e.offset() <= input.length, e.getMessage());
      return;
    }
    checkAllocation(before, input);
    assertArrayEquals(input, SnapshotWriter.encode(state), "a loaded snapshot re-encodes to other bytes");
  }

  private static void checkAllocation(long before, byte[] input) {
    long allocated = Allocation.now() - before;
    assertTrue(allocated <= Allocation.limit(input.length),
        "allocated " + allocated + " bytes for an input of " + input.length);
  }
}
