package dev.db20.ratis;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * One directed network link for fault tests: a loopback TCP proxy that a node (or a client) dials
 * instead of the target node's peer endpoint. Every byte of every connection from that dialer to
 * the target passes through it, in both directions, so a test can pass, delay, drop one direction,
 * or cut the link. {@code forward} is the dialer's requests, {@code back} the target's replies on
 * those connections.
 *
 * <ul>
 *   <li>{@link Mode#PASS}: bytes flow (after {@code delayMillis} per chunk, if set).
 *   <li>{@link Mode#DROP_BACK}: the target's packets to the dialer are lost: requests reach the
 *       target, its replies do not reach the dialer while the mode lasts (the target hears the
 *       dialer, the dialer never hears back).
 *   <li>{@link Mode#DROP_FORWARD}: the dialer's packets are lost: nothing reaches the target.
 *   <li>{@link Mode#CUT}: open connections are closed and new ones are closed on accept, as a
 *       partition the kernel reports.
 * </ul>
 *
 * <p>A dropped direction is held, not discarded: its pump stops reading (the sender's socket
 * buffers fill and it blocks, as when TCP gets no acknowledgements), and when the mode passes again
 * the held bytes are delivered in order, as TCP's retransmissions deliver them once the network
 * heals. Discarding bytes inside a TCP stream would corrupt it (HTTP/2 frames cut in half,
 * flow-control updates lost), a fault no network can cause under TCP's sequence numbers.
 *
 * <p>Thread-safety: the mode and delay are volatile, mode changes wake held pumps through {@code
 * gate}; each connection has two pump threads.
 */
public final class LinkProxy implements Closeable {
  /** What the link does with the bytes. */
  public enum Mode {
    PASS,
    DROP_BACK,
    DROP_FORWARD,
    CUT
  }

  private final ServerSocket server;
  private final int targetPort;
  private final String name;
  private final List<Socket> open = new ArrayList<>();
  private volatile Mode mode = Mode.PASS;
  private final Object gate = new Object();
  private volatile long delayMillis;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong forwarded =
      new java.util.concurrent.atomic.AtomicLong();

  /** A proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}. */
  public LinkProxy(String name, int targetPort) throws IOException {
    if (targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("target port " + targetPort + " out of range 1..65535");
    }
    this.name = name;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "db20-link-" + name);
    t.setDaemon(true);
    t.start();
  }

  /** The port to dial. */
  public int port() {
    return server.getLocalPort();
  }

  /** The link's name, as given. */
  public String name() {
    return name;
  }

  /**
   * Bytes the dialer sent that the link let through to the target, so far (counted as each chunk is
   * passed on, so a reply to it never arrives before the count includes it).
   */
  public long bytesForwarded() {
    return forwarded.get();
  }

  /** The current mode. */
  public Mode mode() {
    return mode;
  }

  /** Sets the mode; {@link Mode#CUT} closes every open connection now. */
  public void setMode(Mode m) {
    synchronized (gate) {
      mode = m;
      gate.notifyAll();
    }
    if (m == Mode.CUT) {
      closeOpen();
    }
  }

  /** Delays every forwarded chunk by {@code millis} (0: none). */
  public void setDelayMillis(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("delay " + millis + " ms is negative");
    }
    delayMillis = millis;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (mode == Mode.CUT) {
        quietClose(in);
        continue;
      }
      Socket out = new Socket();
      try {
        in.setTcpNoDelay(true);
        out.setTcpNoDelay(true);
        out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
      } catch (IOException e) {
        // The target is down: the dialer sees its connection closed, as with no proxy.
        quietClose(in);
        quietClose(out);
        continue;
      }
      synchronized (open) {
        open.add(in);
        open.add(out);
      }
      pump(in, out, true);
      pump(out, in, false);
    }
  }

  private void pump(Socket from, Socket to, boolean forward) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 << 10];
              try (InputStream is = from.getInputStream();
                  OutputStream os = to.getOutputStream()) {
                int n;
                while ((n = is.read(buf)) > 0) {
                  if (!holdWhileDropped(forward ? Mode.DROP_FORWARD : Mode.DROP_BACK)) {
                    break;
                  }
                  long d = delayMillis;
                  if (d > 0) {
                    Thread.sleep(d);
                  }
                  if (forward) {
                    // Counted before the write: once the target has the bytes, its reply can
                    // reach the dialer before this thread runs again.
                    forwarded.addAndGet(n);
                  }
                  os.write(buf, 0, n);
                  os.flush();
                }
              } catch (IOException e) {
                // The connection ended on one side: end it on the other too (below).
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                quietClose(from);
                quietClose(to);
                synchronized (open) {
                  open.remove(from);
                  open.remove(to);
                }
              }
            },
            "db20-link-" + name + (forward ? "-fwd" : "-back"));
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits while the mode is {@code dropped}; false if the link was cut or closed meanwhile (the
   * held bytes are then lost with the connection).
   */
  private boolean holdWhileDropped(Mode dropped) throws InterruptedException {
    synchronized (gate) {
      while (mode == dropped && !closed) {
        gate.wait();
      }
      return mode != Mode.CUT && !closed;
    }
  }

  private void closeOpen() {
    List<Socket> all;
    synchronized (open) {
      all = new ArrayList<>(open);
      open.clear();
    }
    all.forEach(LinkProxy::quietClose);
  }

  private static void quietClose(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Closing a socket that failed; nothing more to do.
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (gate) {
      closed = true;
      gate.notifyAll();
    }
    server.close();
    closeOpen();
  }

  @Override
  public String toString() {
    return name
        + " :"
        + port()
        + " -> :"
        + targetPort
        + " "
        + mode
        + (delayMillis > 0 ? " +" + delayMillis + "ms" : "");
  }
}
