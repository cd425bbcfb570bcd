package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder's chunked list holds every entry in order, across chunk boundaries. */
class EntryListTest {
  private static final int C = EntryList.CHUNK;

  @Test
  void holdsEveryEntryInOrderAcrossChunks() {
    for (int size : new int[] {0, 1, C - 1, C, C + 1, 3 * C + 5}) {
      List<SnapshotState.Entry> want = new ArrayList<>(size);
      EntryList.Builder b = new EntryList.Builder(size);
      for (int i = 0; i < size; i++) {
        SnapshotState.Entry e =
            new SnapshotState.Entry(Bytes.ofAscii("k" + i), Bytes.ofAscii("v" + i));
        want.add(e);
        b.add(e);
      }
      EntryList got = b.build();
      assertEquals(size, got.size());
      for (int i = 0; i < size; i++) {
        assertSame(want.get(i), got.get(i), "entry " + i + " of " + size);
      }
      assertEquals(want, got);
      assertThrows(IndexOutOfBoundsException.class, () -> got.get(size));
      assertThrows(IndexOutOfBoundsException.class, () -> got.get(-1));
    }
  }

  @Test
  void refusesToBuildBeforeEveryEntryIsAdded() {
    EntryList.Builder b = new EntryList.Builder(2);
    b.add(new SnapshotState.Entry(Bytes.ofAscii("a"), Bytes.EMPTY));
    assertThrows(IllegalStateException.class, b::build);
  }

  @Test
  void isUnmodifiable() {
    EntryList.Builder b = new EntryList.Builder(1);
    SnapshotState.Entry e = new SnapshotState.Entry(Bytes.ofAscii("a"), Bytes.EMPTY);
    b.add(e);
    EntryList list = b.build();
    assertThrows(UnsupportedOperationException.class, () -> list.set(0, e));
    assertThrows(UnsupportedOperationException.class, () -> list.add(e));
  }
}
