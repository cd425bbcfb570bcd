package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.wire.SnapshotFormatException.Rule;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per refusal SPEC §4 lists: each names the rule and the offset, and every streaming
 * reader ({@link AllReaders}) refuses the same bytes with the same rule at the same offset.
 */
class SnapshotReaderTest {
  @TempDir Path scratch;

  private static byte[] snapshot(String... keyValuePairs) {
    return SnapshotWriter.encode(SpecVectorsTest.state(7, keyValuePairs));
  }

  /** Recomputes the trailing CRC so a test can reach the rule behind it. */
  private static byte[] fixCrc(byte[] b) {
    LittleEndian.putU32Le(b, b.length - 4, Crc32c.of(b, 0, b.length - 4));
    return b;
  }

  private SnapshotFormatException refuse(byte[] b, Rule rule, long offset) {
    SnapshotFormatException e =
        assertThrows(SnapshotFormatException.class, () -> SnapshotReader.loadState(b));
    assertEquals(rule, e.rule(), e.getMessage());
    assertEquals(offset, e.offset(), e.getMessage());
    assertTrue(e.getMessage().startsWith("offset " + offset + ": "), e.getMessage());
    assertEquals(new AllReaders.Outcome(null, rule, offset), AllReaders.assertAllAgree(b, scratch));
    return e;
  }

  @Test
  void refusesWrongMagic() {
    byte[] b = snapshot();
    b[0] = 'X';
    refuse(fixCrc(b), Rule.BAD_MAGIC, 0);
  }

  @Test
  void refusesUnknownVersion() {
    byte[] b = snapshot();
    LittleEndian.putU16Le(b, SnapshotFormat.OFFSET_VERSION, 2);
    refuse(fixCrc(b), Rule.UNKNOWN_VERSION, 4);
  }

  @Test
  void refusesNonZeroFlags() {
    byte[] b = snapshot();
    LittleEndian.putU16Le(b, SnapshotFormat.OFFSET_FLAGS, 1);
    refuse(fixCrc(b), Rule.NONZERO_FLAGS, 6);
  }

  @Test
  void refusesBufferThatEndsEarly() {
    byte[] full = snapshot("a", "v");
    refuse(new byte[0], Rule.TRUNCATED, 0);
    refuse(Arrays.copyOf(full, 3), Rule.TRUNCATED, 0);
    refuse(Arrays.copyOf(full, 12), Rule.TRUNCATED, 8);
    // Header whole, entry count says 1, but the CRC is cut short after the entry.
    refuse(Arrays.copyOf(full, full.length - 1), Rule.TRUNCATED, 30);
  }

  @Test
  void refusesEntryCountThatRunsPastTheEnd() {
    byte[] b = snapshot("a", "v");
    LittleEndian.putU32Le(b, SnapshotFormat.OFFSET_ENTRY_COUNT, 0xffff_ffffL);
    // 2^32 - 1 entries cannot fit in 10 bytes: refused before anything is allocated for them.
    refuse(fixCrc(b), Rule.LENGTH_PAST_END, 16);
  }

  @Test
  void refusesKeyLengthThatRunsPastTheEnd() {
    byte[] b = snapshot("a", "v");
    LittleEndian.putU32Le(b, 20, 60_000);
    refuse(fixCrc(b), Rule.LENGTH_PAST_END, 20);
  }

  @Test
  void refusesValueLengthThatRunsPastTheEnd() {
    byte[] b = snapshot("a", "v");
    LittleEndian.putU32Le(b, 25, 1_000_000);
    refuse(fixCrc(b), Rule.LENGTH_PAST_END, 25);
  }

  @Test
  void refusesEmptyKey() {
    byte[] b = snapshot("a", "v");
    LittleEndian.putU32Le(b, 20, 0);
    refuse(fixCrc(b), Rule.EMPTY_KEY, 20);
  }

  @Test
  void refusesKeyOverLimit() {
    byte[] b = snapshot("a", "v");
    LittleEndian.putU32Le(b, 20, 65_536);
    refuse(fixCrc(b), Rule.KEY_TOO_LONG, 20);
  }

  @Test
  void refusesValueOverLimit() {
    byte[] b = snapshot("a", "v");
    LittleEndian.putU32Le(b, 25, 1_048_577);
    refuse(fixCrc(b), Rule.VALUE_TOO_LONG, 25);
  }

  @Test
  void refusesKeysOutOfOrder() {
    byte[] b = snapshot("a", "1", "b", "2");
    b[24] = 'c'; // first key "a" becomes "c" > "b"
    refuse(fixCrc(b), Rule.KEYS_OUT_OF_ORDER, 30);
  }

  @Test
  void refusesRepeatedKey() {
    byte[] b = snapshot("a", "1", "b", "2");
    b[34] = 'a'; // second key "b" becomes "a"
    refuse(fixCrc(b), Rule.DUPLICATE_KEY, 30);
  }

  @Test
  void refusesBytesAfterTheCrc() {
    byte[] b = Arrays.copyOf(snapshot("a", "v"), 35);
    refuse(b, Rule.TRAILING_BYTES, 34);
  }

  @Test
  void refusesCrcMismatch() {
    byte[] b = Hex.decode(SpecVectorsTest.A_V_SNAPSHOT);
    b[29] ^= 1; // the value byte
    SnapshotFormatException e = refuse(b, Rule.CRC_MISMATCH, 30);
    assertTrue(e.getMessage().contains("stored CRC-32C 0xbd62cffd"), e.getMessage());
  }

  @Test
  void acceptsWhatTheWriterWrites() throws Exception {
    byte[] b = snapshot("a", "", "ab", "xyz", "b", "2");
    assertEquals(3, SnapshotReader.loadState(b).entries().size());
    assertEquals(Hex.encode(b), Hex.encode(SnapshotWriter.encode(SnapshotReader.loadState(b))));
    assertEquals(null, AllReaders.assertAllAgree(b, scratch).rule());
  }

  @Test
  void refusesEntryCountThatRunsPastTheEndEvenWhenAnEntryBreaksAnotherRuleFirst() {
    // Entry 0 has an empty key, but the count (5) cannot fit in the bytes there are: the array
    // reader checks the count first, and a stream of unknown size must say the same.
    byte[] b = snapshot("a", "v");
    LittleEndian.putU32Le(b, SnapshotFormat.OFFSET_ENTRY_COUNT, 5);
    LittleEndian.putU32Le(b, 20, 0);
    refuse(fixCrc(b), Rule.LENGTH_PAST_END, 16);
  }

  @Test
  void refusesKeyLengthPastTheEndOfAValueLongerThanTheStreamBuffer() {
    byte[] big = new byte[SnapshotInput.BUFFER_SIZE + 10];
    byte[] b =
        SnapshotWriter.encode(
            new SnapshotState(
                1,
                java.util.List.of(new SnapshotState.Entry(Bytes.ofAscii("k"), Bytes.copyOf(big)))));
    refuse(Arrays.copyOf(b, b.length - 100), Rule.LENGTH_PAST_END, 25);
  }
}
