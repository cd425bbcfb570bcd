package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The vectors printed in SPEC §4 and §5, byte for byte. */
class SpecVectorsTest {

  static final String EMPTY_SNAPSHOT = "44423230" + "0100" + "0000" + "0000000000000000" + "00000000" + "71239af8";
  static final String A_V_SNAPSHOT =
      "44423230" + "0100" + "0000" + "0100000000000000" + "01000000" + "01000000" + "61" + "01000000" + "76" + "fdcf62bd";

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
    byte[] b = SnapshotWriter.encode(0, List.of());
    assertEquals(24, b.length);
    assertEquals(EMPTY_SNAPSHOT, Hex.encode(b));
  }

  @Test
  void oneEntrySnapshotIs34Bytes() {
    byte[] b = SnapshotWriter.encode(1, List.of(Map.entry(ascii("a"), ascii("v"))));
    assertEquals(34, b.length);
    assertEquals(A_V_SNAPSHOT, Hex.encode(b));
  }

  @Test
  void specVectorsDecode() throws Exception {
    SnapshotState s = SnapshotReader.loadState(Hex.decode(A_V_SNAPSHOT));
    assertEquals(1, s.commitIndex());
    assertEquals(List.of(new SnapshotState.Entry(ascii("a"), ascii("v"))), s.entries());
    assertEquals(new SnapshotState(0, List.of()), SnapshotReader.loadState(Hex.decode(EMPTY_SNAPSHOT)));
  }

  @Test
  void writerRefusesUnsortedOrRepeatedKeys() {
    assertThrows(IllegalArgumentException.class,
        () -> SnapshotWriter.encode(0, List.of(Map.entry(ascii("b"), ascii("")), Map.entry(ascii("a"), ascii("")))));
    assertThrows(IllegalArgumentException.class,
        () -> SnapshotWriter.encode(0, List.of(Map.entry(ascii("a"), ascii("")), Map.entry(ascii("a"), ascii("")))));
  }

  @Test
  void writerSortsUnsignedAndPrefixFirst() {
    // 0x7f < 0x80 only when bytes compare unsigned; "a" < "ab" as a proper prefix.
    SnapshotWriter.encode(0, List.of(
        Map.entry(new byte[] {0x7f}, new byte[0]),
        Map.entry(new byte[] {(byte) 0x80}, new byte[0])));
    SnapshotWriter.encode(0, List.of(Map.entry(ascii("a"), ascii("")), Map.entry(ascii("ab"), ascii(""))));
    assertThrows(IllegalArgumentException.class, () -> SnapshotWriter.encode(0, List.of(
        Map.entry(new byte[] {(byte) 0x80}, new byte[0]),
        Map.entry(new byte[] {0x7f}, new byte[0]))));
  }

  @Test
  void writerRefusesAPayloadSizeThatIsNotTheEntries() {
    var entries = List.of(Map.entry(ascii("a"), ascii("v")));
    assertEquals(A_V_SNAPSHOT, Hex.encode(SnapshotWriter.encode(1, entries, 10)));
    assertThrows(IllegalArgumentException.class, () -> SnapshotWriter.encode(1, entries, 9));
    assertThrows(IllegalArgumentException.class, () -> SnapshotWriter.encode(1, entries, 11));
  }

  @Test
  void hexOfNoBytesIsDash() {
    assertEquals("-", Hex.encode(new byte[0]));
    assertArrayEquals(new byte[] {0x0a, (byte) 0xff}, Hex.decode("0aFF"));
  }
}
