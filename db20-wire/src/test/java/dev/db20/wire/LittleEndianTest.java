package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LittleEndianTest {

  @Test
  void u16LeastSignificantByteFirst() {
    byte[] b = new byte[2];
    LittleEndian.putU16Le(b, 0, 0xbeef);
    assertArrayEquals(new byte[] {(byte) 0xef, (byte) 0xbe}, b);
    assertEquals(0xbeef, LittleEndian.getU16Le(b, 0));
  }

  @Test
  void u32LeastSignificantByteFirstAndUnsigned() {
    byte[] b = new byte[4];
    LittleEndian.putU32Le(b, 0, 0xfdcf62bdL);
    assertArrayEquals(new byte[] {(byte) 0xbd, 0x62, (byte) 0xcf, (byte) 0xfd}, b);
    assertEquals(0xfdcf62bdL, LittleEndian.getU32Le(b, 0));
  }

  @Test
  void u64LeastSignificantByteFirst() {
    byte[] b = new byte[9];
    LittleEndian.putU64Le(b, 1, 0x0102030405060708L);
    assertArrayEquals(new byte[] {0, 8, 7, 6, 5, 4, 3, 2, 1}, b);
    assertEquals(0x0102030405060708L, LittleEndian.getU64Le(b, 1));
    LittleEndian.putU64Le(b, 0, -1L);
    assertEquals(-1L, LittleEndian.getU64Le(b, 0));
  }
}
