package dev.db20.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.db20.core.Op;
import dev.db20.wire.Bytes;
import dev.db20.wire.Hex;
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
    assertEquals(new Op.Put(ascii("k12"), Bytes.copyOf(Hex.decode("e30c000000000000"))), w.nextOp());
    assertEquals(new Op.Del(ascii("k9")), w.nextOp());
    assertEquals(new Op.Put(ascii("k15"), Bytes.copyOf(Hex.decode("e90e000000000000"))), w.nextOp());
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
    assertEquals(Workload.decode(g.next(), g.next(), g.next(), 8), w.nextOp());
  }

  @Test
  void keySpaceIsReadUnsigned() {
    // K = 2^64 - 1: r2 mod K is r2 itself (r2 < K here), printed unsigned.
    Op op = Workload.decode(0, -2L, 5, -1L);
    assertEquals(new Op.Put(ascii("k18446744073709551614"), Bytes.copyOf(Hex.decode("0500000000000000"))), op);
  }

  @Test
  void valueIsR3ModTenThousandLittleEndian() {
    assertEquals(new Op.Put(ascii("k0"), Bytes.copyOf(Hex.decode("0f27000000000000"))), Workload.decode(0, 0, 9999, 1));
    assertEquals(new Op.Put(ascii("k0"), Bytes.copyOf(Hex.decode("0000000000000000"))), Workload.decode(0, 0, 10_000, 1));
  }

  @Test
  void topTwoBitsPickTheKind() {
    assertEquals(Op.Put.class, Workload.decode(0x0L << 62, 0, 0, 1).getClass());
    assertEquals(Op.Put.class, Workload.decode(0x1L << 62, 0, 0, 1).getClass());
    assertEquals(Op.Put.class, Workload.decode(0x2L << 62, 0, 0, 1).getClass());
    assertEquals(Op.Del.class, Workload.decode(0x3L << 62, 0, 0, 1).getClass());
  }

  @Test
  void nextOpWithItsCachesEqualsDecodeForEveryKeySpace() {
    // The hot path caches keys below 2^20 and all 10,000 values, and formats larger keys into a
    // reused buffer; the plain decode allocates. Both must give the same ops, draw for draw.
    for (long k : new long[] {1, 16, 1000, (1 << 20) - 1, 1 << 20, (1L << 20) + 7, 1L << 40, -1L}) {
      Workload w = new Workload(42, k);
      SplitMix64 g = new SplitMix64(42);
      for (int i = 0; i < 5_000; i++) {
        assertEquals(Workload.decode(g.next(), g.next(), g.next(), k), w.nextOp(), "K=" + Long.toUnsignedString(k) + " op " + i);
      }
    }
  }

  @Test
  void proposeNextIsProposeOfNextOpDrawForDraw() {
    // The op-free hot path must commit exactly what propose(nextOp()) commits, through
    // partitions, rejections (no quorum) and heals.
    dev.db20.core.Cluster a = new dev.db20.core.Cluster(5);
    dev.db20.core.Cluster b = new dev.db20.core.Cluster(5);
    Workload wa = new Workload(11, 40);
    Workload wb = new Workload(11, 40);
    int[][] partitions = {{}, {3, 4}, {0}, {0, 1, 2}, {2}};
    for (int[] p : partitions) {
      a.partition(p);
      b.partition(p);
      for (int i = 0; i < 500; i++) {
        assertEquals(a.proposeIndex(wa.nextOp()), wb.proposeNext(b), "op " + i);
      }
      assertEquals(a.digest(), b.digest());
    }
    a.heal();
    b.heal();
    assertEquals(a.digest(), b.digest());
  }

  private static Bytes ascii(String s) {
    return Bytes.ofAscii(s);
  }
}
