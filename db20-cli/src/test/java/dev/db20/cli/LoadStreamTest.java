package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.db20.api.Op;
import dev.db20.api.OpSink;
import dev.db20.wire.Bytes;
import dev.db20.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@code load}'s stream read by position equals the workload read in order. */
class LoadStreamTest {
  /** Keeps the op it is handed. */
  private static final class Capture implements OpSink {
    Op op;

    @Override
    public long put(Bytes key, Bytes value) {
      op = new Op.Put(key, value);
      return 0;
    }

    @Override
    public long del(Bytes key) {
      op = new Op.Del(key);
      return 0;
    }

    @Override
    public long noop() {
      op = Op.NoOp.INSTANCE;
      return 0;
    }
  }

  @Test
  void positionNIsTheNthOpOfTheSequentialStream() throws Exception {
    int n = 5000;
    Workload sequential = new Workload(42, 16);
    List<Op> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(sequential.nextOp());
    }
    var source = ClientCommand.stream(42, 16);
    // Four threads, each reading every position in its own order (backwards for odd threads).
    ConcurrentHashMap<Long, Op> seen = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        boolean backwards = t % 2 == 1;
        fs.add(
            pool.submit(
                () -> {
                  Capture c = new Capture();
                  for (int k = 0; k < n; k++) {
                    long i = backwards ? n - 1 - k : k;
                    source.write(i, c);
                    Op prev = seen.putIfAbsent(i, c.op);
                    if (prev != null) {
                      assertEquals(prev, c.op, "position " + i);
                    }
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    for (int i = 0; i < n; i++) {
      assertEquals(expected.get(i), seen.get((long) i), "position " + i);
    }
  }
}
