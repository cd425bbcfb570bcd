package dev.db20.api;

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
    var put =
        assertThrows(IllegalArgumentException.class, () -> new Op.Put(Bytes.EMPTY, Bytes.EMPTY));
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
    var e =
        assertThrows(IllegalArgumentException.class, () -> new Op.Put(zeros(1), zeros(1_048_577)));
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
  void proposeToCallsTheSinkMethodOfItsKind() {
    java.util.List<String> calls = new java.util.ArrayList<>();
    OpSink recorder =
        new OpSink() {
          @Override
          public long put(Bytes key, Bytes value) {
            calls.add("put " + key + " " + value);
            return 7;
          }

          @Override
          public long del(Bytes key) {
            calls.add("del " + key);
            return 8;
          }

          @Override
          public long noop() {
            calls.add("noop");
            return OpSink.REJECTED;
          }
        };
    assertEquals(7, new Op.Put(Bytes.ofAscii("k"), Bytes.ofAscii("v")).proposeTo(recorder));
    assertEquals(8, new Op.Del(Bytes.ofAscii("k")).proposeTo(recorder));
    assertEquals(OpSink.REJECTED, Op.NoOp.INSTANCE.proposeTo(recorder));
    assertEquals(
        java.util.List.of(
            "put " + Bytes.ofAscii("k") + " " + Bytes.ofAscii("v"),
            "del " + Bytes.ofAscii("k"),
            "noop"),
        calls);
  }

  @Test
  void opsWithEqualBytesAreEqual() {
    assertEquals(
        new Op.Put(Bytes.ofAscii("k"), Bytes.ofAscii("v")),
        new Op.Put(Bytes.ofAscii("k"), Bytes.ofAscii("v")));
    assertEquals(
        new Op.Del(Bytes.ofAscii("k")).hashCode(), new Op.Del(Bytes.ofAscii("k")).hashCode());
    assertNotEquals(
        new Op.Put(Bytes.ofAscii("k"), Bytes.ofAscii("v")),
        new Op.Put(Bytes.ofAscii("k"), Bytes.ofAscii("w")));
  }
}
