package dev.db20.core;

import static dev.db20.core.NumberedTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.core.OpRecordFormatException.Rule;
import dev.db20.wire.Hex;
import org.junit.jupiter.api.Test;

/** SPEC §4.1: the op record vectors and every refusal. */
class OpRecordTest {

  @Test
  void specVectors() {
    assertEquals("00", Hex.encode(OpRecord.encode(Op.NoOp.INSTANCE)));
    assertEquals(
        "01" + "01000000" + "61" + "01000000" + "76",
        Hex.encode(OpRecord.encode(new Op.Put(b("a"), b("v")))));
    assertEquals("02" + "01000000" + "61", Hex.encode(OpRecord.encode(new Op.Del(b("a")))));
  }

  @Test
  void roundTrips() throws Exception {
    for (Op op :
        new Op[] {
          Op.NoOp.INSTANCE, new Op.Put(b("key"), dev.db20.wire.Bytes.EMPTY), new Op.Del(b("k"))
        }) {
      assertEquals(op, OpRecord.decode(OpRecord.encode(op)));
    }
  }

  private static void refused(String hex, OpRecordFormatException.Rule rule, long offset) {
    var e = assertThrows(OpRecordFormatException.class, () -> OpRecord.decode(Hex.decode(hex)));
    assertEquals(rule, e.rule(), e.getMessage());
    assertEquals(offset, e.offset(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("op record offset " + offset + ": " + rule.words()),
        e.getMessage());
  }

  @Test
  void refusesUnknownTag() {
    refused("03", Rule.UNKNOWN_TAG, 0);
  }

  @Test
  void refusesRecordThatEndsEarly() {
    refused("", Rule.TRUNCATED, 0);
    refused("0101", Rule.TRUNCATED, 1);
    refused("010100000061", Rule.TRUNCATED, 6);
  }

  @Test
  void refusesALengthThatRunsPastTheEnd() {
    refused("0202000000", Rule.LENGTH_PAST_END, 1);
    refused("01010000006105000000767676", Rule.LENGTH_PAST_END, 6);
  }

  @Test
  void refusesTrailingBytes() {
    refused("0000", Rule.TRAILING_BYTES, 1);
    refused("020100000061ff", Rule.TRAILING_BYTES, 6);
  }

  @Test
  void refusesKeysAndValuesOutsideTheLimits() {
    refused("0200000000", Rule.EMPTY_KEY, 1);
    refused("0200000100", Rule.KEY_TOO_LONG, 1);
    refused("01010000006101001000", Rule.VALUE_TOO_LONG, 6);
  }
}
