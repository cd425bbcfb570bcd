package dev.db20.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.db20.wire.Bytes;
import org.junit.jupiter.api.Test;

/** SPEC §1: ops are values, and the limits are checked before an op can reach a log. */
class OpTest {

  private static Bytes zeros(int n) {
    return Bytes.copyOf(new byte[n]);
  }

  @Test
  void keyOfZeroBytesIsRefused() {
    var put = assertThrows(IllegalArgumentException.class, () -> new Op.Put(Bytes.EMPTY, Bytes.EMPTY));
    assertEquals("key length 0 is below the minimum of 1 byte", put.getMessage());
    var del = assertThrows(IllegalArgumentException.class, () -> new Op.Del(Bytes.EMPTY));
    assertEquals("key length 0 is below the minimum of 1 byte", del.getMessage());
  }

  @Test
  void keyOf65535BytesIsAcceptedAnd65536Refused() {
    assertEquals(65_535, new Op.Put(zeros(65_535), Bytes.EMPTY).key().length());
    var e = assertThrows(IllegalArgumentException.class, () -> new Op.Del(zeros(65_536)));
    assertEquals("key length 65536 exceeds the limit of 65535 bytes", e.getMessage());
  }

  @Test
  void valueOfOneMebibyteIsAcceptedAndOneMoreRefused() {
    assertEquals(1_048_576, new Op.Put(zeros(1), zeros(1_048_576)).value().length());
    var e = assertThrows(IllegalArgumentException.class, () -> new Op.Put(zeros(1), zeros(1_048_577)));
    assertEquals("value length 1048577 exceeds the limit of 1048576 bytes", e.getMessage());
  }

  @Test
  void putKeepsItsBytesWhateverTheCallerDoesToTheArray() {
    byte[] k = {'a'};
    Op.Put p = new Op.Put(Bytes.copyOf(k), Bytes.ofAscii("v"));
    k[0] = 'z';
    assertEquals(Bytes.ofAscii("a"), p.key());
    byte[] out = p.value().toByteArray();
    out[0] = 'q';
    assertEquals(Bytes.ofAscii("v"), p.value());
  }

  @Test
  void nullKeysAndValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Op.Put(null, Bytes.EMPTY));
    assertThrows(IllegalArgumentException.class, () -> new Op.Put(zeros(1), null));
    assertThrows(IllegalArgumentException.class, () -> new Op.Del(null));
  }

  @Test
  void tagsAreSpecSection41() {
    assertEquals(0, Op.NoOp.INSTANCE.tag());
    assertEquals(1, new Op.Put(zeros(1), Bytes.EMPTY).tag());
    assertEquals(2, new Op.Del(zeros(1)).tag());
  }

  @Test
  void opsWithEqualBytesAreEqual() {
    assertEquals(new Op.Put(Bytes.ofAscii("k"), Bytes.ofAscii("v")), new Op.Put(Bytes.ofAscii("k"), Bytes.ofAscii("v")));
    assertEquals(new Op.Del(Bytes.ofAscii("k")).hashCode(), new Op.Del(Bytes.ofAscii("k")).hashCode());
    assertNotEquals(new Op.Put(Bytes.ofAscii("k"), Bytes.ofAscii("v")), new Op.Put(Bytes.ofAscii("k"), Bytes.ofAscii("w")));
  }
}
