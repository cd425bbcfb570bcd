package dev.db20.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SPEC §1: ops are values, and the limits are checked before an op can reach a log. */
class OpTest {

  @Test
  void keyOfZeroBytesIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Op.Put(new byte[0], new byte[0]));
    assertTrue(e.getMessage().contains("key length 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Op.Del(new byte[0]));
  }

  @Test
  void keyOf65535BytesIsAcceptedAnd65536Refused() {
    new Op.Put(new byte[65_535], new byte[0]);
    var e = assertThrows(IllegalArgumentException.class, () -> new Op.Del(new byte[65_536]));
    assertEquals("key length 65536 exceeds the limit of 65535 bytes", e.getMessage());
  }

  @Test
  void valueOfOneMebibyteIsAcceptedAndOneMoreRefused() {
    new Op.Put(new byte[] {1}, new byte[1_048_576]);
    var e = assertThrows(IllegalArgumentException.class, () -> new Op.Put(new byte[] {1}, new byte[1_048_577]));
    assertEquals("value length 1048577 exceeds the limit of 1048576 bytes", e.getMessage());
  }

  @Test
  void putCopiesItsBytesInAndOut() {
    byte[] k = {'a'};
    byte[] v = {'v'};
    Op.Put p = new Op.Put(k, v);
    k[0] = 'z';
    v[0] = 'z';
    assertArrayEquals(new byte[] {'a'}, p.key());
    p.value()[0] = 'q';
    assertArrayEquals(new byte[] {'v'}, p.value());
  }

  @Test
  void tagsAreSpecSection41() {
    assertEquals(0, Op.NoOp.INSTANCE.tag());
    assertEquals(1, new Op.Put(new byte[] {1}, new byte[0]).tag());
    assertEquals(2, new Op.Del(new byte[] {1}).tag());
  }

  @Test
  void opsWithEqualBytesAreEqual() {
    assertEquals(new Op.Put(new byte[] {1}, new byte[] {2}), new Op.Put(new byte[] {1}, new byte[] {2}));
    assertEquals(new Op.Del(new byte[] {1}).hashCode(), new Op.Del(new byte[] {1}).hashCode());
  }
}
