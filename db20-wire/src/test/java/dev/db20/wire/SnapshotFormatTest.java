package dev.db20.wire;

import static dev.db20.wire.SnapshotFormat.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SPEC §4's layout table, field by field. */
class SnapshotFormatTest {

  @Test
  void offsetsAreSpecTableValues() {
    assertEquals(0, OFFSET_MAGIC);
    assertEquals(4, OFFSET_VERSION);
    assertEquals(6, OFFSET_FLAGS);
    assertEquals(8, OFFSET_COMMIT_INDEX);
    assertEquals(16, OFFSET_ENTRY_COUNT);
    assertEquals(20, HEADER_SIZE);
    assertEquals(24, MIN_SNAPSHOT_SIZE);
  }

  @Test
  void eachFieldStartsWhereThePreviousEnds() {
    assertEquals(OFFSET_MAGIC + SIZE_MAGIC, OFFSET_VERSION);
    assertEquals(OFFSET_VERSION + SIZE_VERSION, OFFSET_FLAGS);
    assertEquals(OFFSET_FLAGS + SIZE_FLAGS, OFFSET_COMMIT_INDEX);
    assertEquals(OFFSET_COMMIT_INDEX + SIZE_COMMIT_INDEX, OFFSET_ENTRY_COUNT);
    assertEquals(OFFSET_ENTRY_COUNT + SIZE_ENTRY_COUNT, HEADER_SIZE);
    assertEquals(HEADER_SIZE + SIZE_CRC, MIN_SNAPSHOT_SIZE);
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
