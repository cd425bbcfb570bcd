package dev.db20.wire;

import static dev.db20.wire.SnapshotFormat.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §4's layout table, field by field. */
class SnapshotFormatTest {

  @Test
  void offsetsAndSizesAreTheSpecTable() {
    // SPEC §4's table, as printed there: offsets 0, 4, 6, 8, 16, 20; sizes 4, 2, 2, 8, 4; CRC 4.
    // (The constants are derived from each other, so only literal spec values can catch a slip.)
    assertEquals(
        List.of(0, 4, 6, 8, 16, 20),
        List.of(
            OFFSET_MAGIC,
            OFFSET_VERSION,
            OFFSET_FLAGS,
            OFFSET_COMMIT_INDEX,
            OFFSET_ENTRY_COUNT,
            HEADER_SIZE));
    assertEquals(
        List.of(4, 2, 2, 8, 4, 4),
        List.of(
            SIZE_MAGIC, SIZE_VERSION, SIZE_FLAGS, SIZE_COMMIT_INDEX, SIZE_ENTRY_COUNT, SIZE_CRC));
    // The spec's empty snapshot is 24 bytes: header plus CRC.
    assertEquals(24, MIN_SNAPSHOT_SIZE);
  }

  @Test
  void magicIsAsciiDb20() {
    assertArrayEquals("DB20".getBytes(StandardCharsets.US_ASCII), magic());
    assertEquals(MAGIC_U32_LE, LittleEndian.getU32Le(magic(), 0));
  }

  @Test
  void limitsAreSpecSection1() {
    assertEquals(1, MIN_KEY_LEN);
    assertEquals(65_535, MAX_KEY_LEN);
    assertEquals(1 << 20, MAX_VALUE_LEN);
    assertEquals(9, MIN_ENTRY_SIZE);
  }
}
