package dev.db20.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.db20.api.Op;
import dev.db20.api.OpSink;
import dev.db20.wire.Bytes;
import dev.db20.wire.Hex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Numbered tests 9 and 10 (the rest are in db20-core's NumberedTest), and the generator's twin. */
class NumberedWorkloadTest {

  @Test
  void test09_splitmix64Vectors() {
    SplitMix64 g = new SplitMix64(0);
    assertEquals(0xe220a8397b1dcdafL, g.next());
    assertEquals(0x6e789e6aa1b965f4L, g.next());
    assertEquals(0x06c45d188009454fL, g.next());
    assertEquals(3 * SplitMix64.GAMMA, g.state());
  }

  @Test
  void test10_workloadDecodePinned() {
    // Seed 0, K = 16: worked out by hand from the SPEC §6 vector above (r1 = e220..., top bits 11
    // -> Del; r2 = 6e78...f4, mod 16 = 4 -> "k4") and the next four ops after it.
    Workload w = new Workload(0, 16);
    assertEquals(new Op.Del(ascii("k4")), w.nextOp());
    assertEquals(new Op.Del(ascii("k11")), w.nextOp());
    assertEquals(
        new Op.Put(ascii("k12"), Bytes.copyOf(Hex.decode("e30c000000000000"))), w.nextOp());
    assertEquals(new Op.Del(ascii("k9")), w.nextOp());
    assertEquals(
        new Op.Put(ascii("k15"), Bytes.copyOf(Hex.decode("e90e000000000000"))), w.nextOp());
  }

  @Test
  void generatorEqualsSplittableRandomForTenThousandValues() {
    for (long seed : new long[] {0, 1, 20, 0xdb20, -1, 0x9e3779b97f4a7c15L}) {
      SplitMix64 g = new SplitMix64(seed);
      SplittableRandom r = new SplittableRandom(seed);
      for (int i = 0; i < 10_000; i++) {
        assertEquals(r.nextLong(), g.next(), "seed " + seed + " draw " + i);
      }
    }
  }

  @Test
  void everyOpDrawsExactlyThreeValues() {
    Workload w = new Workload(42, 8);
    SplitMix64 g = new SplitMix64(42);
    for (int i = 0; i < 1000; i++) {
      w.nextOp();
      g.next();
      g.next();
      g.next();
    }
    assertEquals(specDecode(g.next(), g.next(), g.next(), 8), w.nextOp());
  }

  @Test
  void keySpaceIsReadUnsigned() {
    // K = 2^64 - 1: r2 mod K is r2 itself (r2 < K here), printed unsigned.
    Op op = specDecode(0, -2L, 5, -1L);
    assertEquals(
        new Op.Put(ascii("k18446744073709551614"), Bytes.copyOf(Hex.decode("0500000000000000"))),
        op);
  }

  @Test
  void valueIsR3ModTenThousandLittleEndian() {
    assertEquals(
        new Op.Put(ascii("k0"), Bytes.copyOf(Hex.decode("0f27000000000000"))),
        specDecode(0, 0, 9999, 1));
    assertEquals(
        new Op.Put(ascii("k0"), Bytes.copyOf(Hex.decode("0000000000000000"))),
        specDecode(0, 0, 10_000, 1));
  }

  @Test
  void topTwoBitsPickTheKind() {
    assertEquals(Op.Put.class, specDecode(0x0L << 62, 0, 0, 1).getClass());
    assertEquals(Op.Put.class, specDecode(0x1L << 62, 0, 0, 1).getClass());
    assertEquals(Op.Put.class, specDecode(0x2L << 62, 0, 0, 1).getClass());
    assertEquals(Op.Del.class, specDecode(0x3L << 62, 0, 0, 1).getClass());
  }

  @Test
  void nextOpWithItsCachesEqualsDecodeForEveryKeySpace() {
    // The hot path caches keys below 2^20 and all 10,000 values, and formats larger keys into a
    // reused buffer; the plain decode allocates. Both must give the same ops, draw for draw.
    for (long k : new long[] {1, 16, 1000, (1 << 20) - 1, 1 << 20, (1L << 20) + 7, 1L << 40, -1L}) {
      Workload w = new Workload(42, k);
      SplitMix64 g = new SplitMix64(42);
      for (int i = 0; i < 5_000; i++) {
        assertEquals(
            specDecode(g.next(), g.next(), g.next(), k),
            w.nextOp(),
            "K=" + Long.toUnsignedString(k) + " op " + i);
      }
    }
  }

  @Test
  void nextIntoASinkHandsItTheOpsNextOpReturnsDrawForDraw() {
    // The one decoder feeds both: the sink gets exactly the ops nextOp makes, in order, and
    // what the sink returns comes back.
    Workload typed = new Workload(11, 40);
    Workload primitive = new Workload(11, 40);
    List<Op> got = new ArrayList<>();
    OpSink recorder =
        new OpSink() {
          @Override
          public long put(Bytes key, Bytes value) {
            got.add(new Op.Put(key, value));
            return got.size();
          }

          @Override
          public long del(Bytes key) {
            got.add(new Op.Del(key));
            return got.size();
          }

          @Override
          public long noop() {
            throw new AssertionError("the workload made a no-op");
          }
        };
    for (int i = 0; i < 2_000; i++) {
      assertEquals(i + 1, primitive.next(recorder));
      assertEquals(typed.nextOp(), got.get(i), "op " + i);
    }
  }

  /**
   * SPEC §6 spelled out independently of {@link Workload}: no caches, the key formatted by the JDK,
   * the value by a little-endian ByteBuffer.
   */
  private static Op specDecode(long r1, long r2, long r3, long keySpace) {
    Bytes key = ascii("k" + Long.toUnsignedString(Long.remainderUnsigned(r2, keySpace)));
    if (r1 >>> 62 == 3) {
      return new Op.Del(key);
    }
    byte[] value =
        ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(Long.remainderUnsigned(r3, 10_000))
            .array();
    return new Op.Put(key, Bytes.copyOf(value));
  }

  private static Bytes ascii(String s) {
    return Bytes.ofAscii(s);
  }
}
