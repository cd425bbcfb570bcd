package dev.db20.core;

import static dev.db20.core.NumberedTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.db20.wire.Hex;
import org.junit.jupiter.api.Test;

/** SPEC §4.1: the op record vectors and every refusal. */
class OpRecordTest {

  @Test
  void specVectors() {
    assertEquals("00", Hex.encode(OpRecord.encode(Op.NoOp.INSTANCE)));
    assertEquals("01" + "01000000" + "61" + "01000000" + "76", Hex.encode(OpRecord.encode(new Op.Put(b("a"), b("v")))));
    assertEquals("02" + "01000000" + "61", Hex.encode(OpRecord.encode(new Op.Del(b("a")))));
  }

  @Test
  void roundTrips() {
    for (Op op : new Op[] {Op.NoOp.INSTANCE, new Op.Put(b("key"), new byte[0]), new Op.Del(b("k"))}) {
      assertEquals(op, OpRecord.decode(OpRecord.encode(op)));
    }
  }

  private static void refused(String hex, String messageStart) {
    var e = assertThrows(IllegalArgumentException.class, () -> OpRecord.decode(Hex.decode(hex)));
    assertEquals(true, e.getMessage().startsWith(messageStart), e.getMessage());
  }

  @Test
  void refusesUnknownTag() {
    refused("03", "op record offset 0: unknown tag 3");
  }

  @Test
  void refusesRecordThatEndsEarly() {
    refused("", "op record offset 0: record ends early");
    refused("0101", "op record offset 1: record ends early");
    refused("010100000061", "op record offset 6: record ends early");
    refused("0202000000", "op record offset 1: record ends early");
  }

  @Test
  void refusesTrailingBytes() {
    refused("0000", "op record offset 1: 1 trailing bytes");
  }

  @Test
  void refusesKeysAndValuesOutsideTheLimits() {
    refused("0200000000", "op record offset 1: key length 0 outside 1..65535");
    refused("0200000100", "op record offset 1: key length 65536 outside 1..65535");
    refused("01010000006101001000", "op record offset 6: value length 1048577 outside 0..1048576");
  }
}
