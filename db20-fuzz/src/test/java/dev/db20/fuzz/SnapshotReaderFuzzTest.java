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
 * exactly the same bytes, or the reader refuses them with {@link SnapshotFormatException} naming an
 * offset inside the input, having allocated no more than the input could hold ({@link
 * Allocation#limit}). Any other exception is a finding.
 */
class SnapshotReaderFuzzTest {
  @FuzzTest
  void loadState(byte[] input) {
    SnapshotState state;
    try {
      state = SnapshotReader.loadState(input);
    } catch (SnapshotFormatException e) {
      // The offset names a place in the input (the end, for a missing field), never beyond.
      assertTrue(e.offset() >= 0 && e.offset() <= input.length, e.getMessage());
      Allocation.check(() -> readAgain(input), input.length);
      return;
    }
    assertArrayEquals(
        input, SnapshotWriter.encode(state), "a decoded input re-encodes to other bytes");
    Allocation.check(() -> readAgain(input), input.length);
  }

  /** Reads {@code input} again, for the allocation measure; the outcome was checked above. */
  private static void readAgain(byte[] input) {
    try {
      SnapshotReader.loadState(input);
    } catch (SnapshotFormatException e) {
      // Expected for most inputs.
    }
  }
}
