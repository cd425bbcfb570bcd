package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Bytes' order, with its eight-bytes-at-a-time, masked-tail and byte-loop paths, is exactly the
 * JDK's unsigned lexicographic order.
 */
class BytesOrderPropertiesTest {

  @Property(tries = 500)
  void compareToHasTheSignOfArraysCompareUnsigned(
      @ForAll @Size(max = 40) byte[] a, @ForAll @Size(max = 40) byte[] b) {
    assertEquals(
        Integer.signum(Arrays.compareUnsigned(a, b)),
        Integer.signum(Bytes.copyOf(a).compareTo(Bytes.copyOf(b))));
  }

  @Property(tries = 200)
  void aProperPrefixSortsFirst(
      @ForAll @Size(min = 1, max = 40) byte[] a, @ForAll @Size(min = 1, max = 5) byte[] tail) {
    byte[] longer = Arrays.copyOf(a, a.length + tail.length);
    System.arraycopy(tail, 0, longer, a.length, tail.length);
    assertEquals(-1, Integer.signum(Bytes.copyOf(a).compareTo(Bytes.copyOf(longer))));
  }

  @Property(tries = 1000)
  void rangesCompareAsArraysCompareUnsigned(
      @ForAll @Size(max = 40) byte[] a,
      @ForAll @Size(max = 40) byte[] b,
      @ForAll @IntRange(max = 9) int aAt,
      @ForAll @IntRange(max = 9) int bAt,
      @ForAll @IntRange(max = 9) int aAfter,
      @ForAll @IntRange(max = 9) int bAfter,
      @ForAll byte fill) {
    // The ranges sit inside larger arrays, with 0 to 9 bytes of junk after them: the masked load
    // reads past a range only when eight bytes are there, and must ignore what it reads.
    byte[] aIn = embed(a, aAt, aAfter, fill);
    byte[] bIn = embed(b, bAt, bAfter, (byte) ~fill);
    assertEquals(
        Integer.signum(Arrays.compareUnsigned(a, b)),
        Integer.signum(Bytes.compareUnsigned(aIn, aAt, a.length, bIn, bAt, b.length)));
  }

  @Property(tries = 500)
  void keysThatShareAPrefixCompareAsArraysCompareUnsigned(
      @ForAll @Size(max = 20) byte[] prefix,
      @ForAll @Size(max = 10) byte[] aTail,
      @ForAll @Size(max = 10) byte[] bTail,
      @ForAll @IntRange(max = 9) int after) {
    // Random arrays rarely share a prefix; snapshot keys (k0, k1, k10, ...) mostly do.
    byte[] a = concat(prefix, aTail);
    byte[] b = concat(prefix, bTail);
    assertEquals(
        Integer.signum(Arrays.compareUnsigned(a, b)),
        Integer.signum(
            Bytes.compareUnsigned(
                embed(a, 1, after, (byte) 0),
                1,
                a.length,
                embed(b, 2, after, (byte) -1),
                2,
                b.length)));
  }

  @Property(tries = 2000)
  void shortKeysOverFewByteValuesCompareAsArraysCompareUnsigned(
      @ForAll("fewValues") byte[] a, @ForAll("fewValues") byte[] b) {
    // Arrays of under eight bytes with nothing after them take the byte loop; over five byte
    // values, equal prefixes and differences in the last bytes are common.
    assertEquals(
        Integer.signum(Arrays.compareUnsigned(a, b)),
        Integer.signum(Bytes.copyOf(a).compareTo(Bytes.copyOf(b))));
  }

  @Provide
  Arbitrary<byte[]> fewValues() {
    return Arbitraries.bytes().between((byte) -2, (byte) 2).array(byte[].class).ofMaxSize(9);
  }

  private static byte[] embed(byte[] range, int at, int after, byte fill) {
    byte[] out = new byte[at + range.length + after];
    Arrays.fill(out, fill);
    System.arraycopy(range, 0, out, at, range.length);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
