package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.ratis.RegisterChecker.Call;
import dev.db20.wire.Bytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent clients put and get a few keys; the recorded history must be linearizable. */
class HistoryTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

  @Test
  void concurrentPutsAndGetsAreLinearizable() throws Exception {
    int clients = 4;
    int opsPerClient = 50;
    List<Call> history = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    try (LocalCluster lc = new LocalCluster(3, dir, Db20Server.Settings.SMALL)) {
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        threads.add(
            new Thread(
                () -> {
                  Random r = new Random(client);
                  try (RatisCluster rc = new RatisCluster(lc.peers)) {
                    for (int i = 0; i < opsPerClient; i++) {
                      String key = "k" + r.nextInt(3);
                      Bytes k = Bytes.ofAscii(key);
                      long invoke = System.nanoTime();
                      if (r.nextBoolean()) {
                        String value = "c" + client + "-" + i;
                        long complete;
                        try {
                          rc.propose(new Op.Put(k, Bytes.ofAscii(value)));
                          complete = System.nanoTime();
                        } catch (RatisCluster.UnavailableException e) {
                          complete =
                              RegisterChecker.NEVER; // indeterminate: may or may not have happened
                        }
                        history.add(Call.put(key, value, invoke, complete));
                      } else {
                        try {
                          ReadResult res = rc.read(k);
                          long complete = System.nanoTime();
                          String v =
                              res instanceof ReadResult.Value val
                                  ? new String(val.bytes().toByteArray(), StandardCharsets.US_ASCII)
                                  : null;
                          history.add(Call.get(key, v, invoke, complete));
                        } catch (RatisCluster.UnavailableException e) {
                          // A read that timed out observed nothing.
                        }
                      }
                    }
                  } catch (Throwable t) {
                    errors.add(t);
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
    }
    assertTrue(errors.isEmpty(), () -> "client failed: " + errors);
    assertTrue(history.size() >= clients * opsPerClient / 2, "history of " + history.size());
    assertTrue(
        history.stream().anyMatch(c -> !c.write() && c.value() != null), "some get saw a value");
    assertTrue(RegisterChecker.check(history), "the recorded history is linearizable");
  }
}
