package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The link proxy against an upper-casing echo server: pass, delay, one-way drops, cut. */
class LinkProxyTest {
  private ServerSocket target;
  private final AtomicInteger received = new AtomicInteger();

  @BeforeEach
  void startTarget() throws IOException {
    target = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (true) {
                Socket s;
                try {
                  s = target.accept();
                } catch (IOException e) {
                  return;
                }
                Thread h =
                    new Thread(
                        () -> {
                          try (s;
                              InputStream in = s.getInputStream();
                              OutputStream out = s.getOutputStream()) {
                            int b;
                            while ((b = in.read()) >= 0) {
                              received.incrementAndGet();
                              out.write(Character.toUpperCase(b));
                              out.flush();
                            }
                          } catch (IOException e) {
                            // The test closed the connection.
                          }
                        });
                h.setDaemon(true);
                h.start();
              }
            });
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stopTarget() throws IOException {
    target.close();
  }

  private static Socket dial(LinkProxy p) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port());
    s.setSoTimeout(1500);
    return s;
  }

  private static int roundTrip(Socket s, char c) throws IOException {
    s.getOutputStream().write(c);
    s.getOutputStream().flush();
    return s.getInputStream().read();
  }

  @Test
  void passForwardsBothWaysAndCountsBytes() throws IOException {
    try (LinkProxy p = new LinkProxy("t", target.getLocalPort());
        Socket s = dial(p)) {
      assertEquals('A', roundTrip(s, 'a'));
      assertEquals('B', roundTrip(s, 'b'));
      assertEquals(2, p.bytesForwarded());
    }
  }

  @Test
  void dropBackDeliversRequestsAndHoldsRepliesUntilPass() throws Exception {
    try (LinkProxy p = new LinkProxy("t", target.getLocalPort());
        Socket s = dial(p)) {
      assertEquals('A', roundTrip(s, 'a'));
      p.setMode(LinkProxy.Mode.DROP_BACK);
      assertThrows(SocketTimeoutException.class, () -> roundTrip(s, 'b'));
      assertEquals(2, received.get(), "the target heard the request");
      p.setMode(LinkProxy.Mode.PASS);
      assertEquals('B', s.getInputStream().read(), "the held reply arrives once the link passes");
      assertEquals('C', roundTrip(s, 'c'));
    }
  }

  @Test
  void dropForwardDeliversNothingUntilPassThenEverythingInOrder() throws Exception {
    try (LinkProxy p = new LinkProxy("t", target.getLocalPort());
        Socket s = dial(p)) {
      p.setMode(LinkProxy.Mode.DROP_FORWARD);
      assertThrows(SocketTimeoutException.class, () -> roundTrip(s, 'a'));
      assertEquals(0, received.get());
      assertEquals(0, p.bytesForwarded());
      p.setMode(LinkProxy.Mode.PASS);
      assertEquals('A', s.getInputStream().read(), "the held request reaches the target");
      assertEquals('B', roundTrip(s, 'b'));
      assertEquals(2, received.get());
    }
  }

  @Test
  void cutClosesOpenConnectionsAndRefusesNewOnesUntilPass() throws Exception {
    try (LinkProxy p = new LinkProxy("t", target.getLocalPort());
        Socket s = dial(p)) {
      assertEquals('A', roundTrip(s, 'a'));
      p.setMode(LinkProxy.Mode.CUT);
      int r;
      try {
        r = roundTrip(s, 'b');
      } catch (IOException e) {
        r = -1; // reset: as closed
      }
      assertEquals(-1, r, "the open connection is closed");
      try (Socket s2 = dial(p)) {
        int r2;
        try {
          r2 = roundTrip(s2, 'x');
        } catch (IOException e) {
          r2 = -1;
        }
        assertEquals(-1, r2, "a new connection is closed on accept");
      }
      p.setMode(LinkProxy.Mode.PASS);
      try (Socket s3 = dial(p)) {
        assertEquals('D', roundTrip(s3, 'd'));
      }
    }
  }

  @Test
  void delayHoldsEachChunk() throws IOException {
    try (LinkProxy p = new LinkProxy("t", target.getLocalPort());
        Socket s = dial(p)) {
      p.setDelayMillis(300);
      long t = System.nanoTime();
      assertEquals('A', roundTrip(s, 'a'));
      // Two hops delayed (request and reply): at least 600 ms, a bound not a timing benchmark.
      assertTrue(System.nanoTime() - t >= 600_000_000L, "delayed");
      assertThrows(IllegalArgumentException.class, () -> p.setDelayMillis(-1));
    }
  }
}
