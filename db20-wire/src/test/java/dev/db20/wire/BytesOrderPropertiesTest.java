package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Bytes' order, with its short-key loop, is exactly the JDK's unsigned lexicographic order. */
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
}
