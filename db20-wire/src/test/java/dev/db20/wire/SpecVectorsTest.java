package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vectors printed in SPEC §4 and §5, byte for byte. */
class SpecVectorsTest {

  static final String EMPTY_SNAPSHOT =
      "44423230" + "0100" + "0000" + "0000000000000000" + "00000000" + "71239af8";
  static final String A_V_SNAPSHOT =
      "44423230"
          + "0100"
          + "0000"
          + "0100000000000000"
          + "01000000"
          + "01000000"
          + "61"
          + "01000000"
          + "76"
          + "fdcf62bd";

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void crc32cOfCheckString() {
    assertEquals(0xE3069283L, Crc32c.of(ascii("123456789")));
  }

  @Test
  void fnv1a64Vectors() {
    assertEquals("cbf29ce484222325", Fnv1a64.toHex(Fnv1a64.of(new byte[0])));
    assertEquals("af63dc4c8601ec8c", Fnv1a64.toHex(Fnv1a64.of(ascii("a"))));
  }

  @Test
  void digestHexIsSixteenLowercaseDigits() {
    assertEquals("000000000000000f", Fnv1a64.toHex(15));
    assertEquals("ffffffffffffffff", Fnv1a64.toHex(-1));
  }

  @Test
  void emptySnapshotAtCommitZeroIs24Bytes() {
    byte[] b = SnapshotWriter.encode(new SnapshotState(0, List.of()));
    assertEquals(24, b.length);
    assertEquals(EMPTY_SNAPSHOT, Hex.encode(b));
  }

  @Test
  void oneEntrySnapshotIs34Bytes() {
    byte[] b = SnapshotWriter.encode(state(1, "a", "v"));
    assertEquals(34, b.length);
    assertEquals(A_V_SNAPSHOT, Hex.encode(b));
  }

  @Test
  void specVectorsDecode() throws Exception {
    SnapshotState s = SnapshotReader.loadState(Hex.decode(A_V_SNAPSHOT));
    assertEquals(1, s.commitIndex());
    assertEquals(
        List.of(new SnapshotState.Entry(Bytes.ofAscii("a"), Bytes.ofAscii("v"))), s.entries());
    assertEquals(
        new SnapshotState(0, List.of()), SnapshotReader.loadState(Hex.decode(EMPTY_SNAPSHOT)));
  }

  @Test
  void writerRefusesUnsortedOrRepeatedKeys() {
    assertThrows(
        IllegalArgumentException.class, () -> SnapshotWriter.encode(state(0, "b", "", "a", "")));
    assertThrows(
        IllegalArgumentException.class, () -> SnapshotWriter.encode(state(0, "a", "", "a", "")));
  }

  @Test
  void writerOrdersKeysUnsignedWithAProperPrefixFirst() throws Exception {
    // 0x7f < 0x80 only when bytes compare unsigned; "a" < "ab" as a proper prefix.
    Bytes low = Bytes.copyOf(new byte[] {0x7f});
    Bytes high = Bytes.copyOf(new byte[] {(byte) 0x80});
    byte[] unsigned =
        SnapshotWriter.encode(
            new SnapshotState(
                0,
                List.of(
                    new SnapshotState.Entry(low, Bytes.EMPTY),
                    new SnapshotState.Entry(high, Bytes.EMPTY))));
    assertEquals(0x7f, unsigned[24] & 0xff);
    assertEquals(0x80, unsigned[33] & 0xff);
    assertEquals(2, SnapshotReader.loadState(unsigned).entries().size());
    byte[] prefix = SnapshotWriter.encode(state(0, "a", "", "ab", ""));
    assertEquals("a", new String(prefix, 24, 1, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals("ab", new String(prefix, 33, 2, java.nio.charset.StandardCharsets.US_ASCII));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SnapshotWriter.encode(
                new SnapshotState(
                    0,
                    List.of(
                        new SnapshotState.Entry(high, Bytes.EMPTY),
                        new SnapshotState.Entry(low, Bytes.EMPTY)))));
    assertThrows(
        IllegalArgumentException.class, () -> SnapshotWriter.encode(state(0, "ab", "", "a", "")));
  }

  @Test
  void writerRefusesAPayloadSizeThatIsNotTheEntries() {
    var entries = state(1, "a", "v").entries();
    assertEquals(A_V_SNAPSHOT, Hex.encode(SnapshotWriter.encode(1, entries, 10)));
    assertThrows(IllegalArgumentException.class, () -> SnapshotWriter.encode(1, entries, 9));
    assertThrows(IllegalArgumentException.class, () -> SnapshotWriter.encode(1, entries, 11));
  }

  /** A state from ASCII key/value pairs, in the order given. */
  static SnapshotState state(long commit, String... keyValuePairs) {
    List<SnapshotState.Entry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < keyValuePairs.length; i += 2) {
      entries.add(
          new SnapshotState.Entry(
              Bytes.ofAscii(keyValuePairs[i]), Bytes.ofAscii(keyValuePairs[i + 1])));
    }
    return new SnapshotState(commit, entries);
  }

  @Test
  void hexOfNoBytesIsDash() {
    assertEquals("-", Hex.encode(new byte[0]));
    assertArrayEquals(new byte[] {0x0a, (byte) 0xff}, Hex.decode("0aFF"));
  }
}
