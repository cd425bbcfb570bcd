package dev.db20.ratis;

/**
 * A network endpoint, {@code HOST:PORT}. The host is never empty: an empty host makes gRPC bind the
 * wildcard address, which a db20 node does only when told so ({@code 0.0.0.0}).
 *
 * @param host a name or an address literal ({@code [::1]} for IPv6), not empty
 * @param port 1..65535
 */
public record Endpoint(String host, int port) {
  /** The loopback address every node's admin endpoint binds unless told otherwise. */
  public static final String LOOPBACK = "127.0.0.1";

  /** Checks the fields. */
  public Endpoint {
    if (host == null || host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == ',')) {
      throw new IllegalArgumentException("bad host '" + host + "' (want a name or an address)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("bad port " + port + " (want 1..65535)");
    }
  }

  /**
   * Parses {@code HOST:PORT}.
   *
   * @throws IllegalArgumentException with a one-line message naming what is wrong
   */
  public static Endpoint parse(String s) {
    int colon = s == null ? -1 : s.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("bad address '" + s + "' (want HOST:PORT)");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad address '" + s + "' (want HOST:PORT)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("bad port in '" + s + "' (want 1..65535)");
    }
    return new Endpoint(s.substring(0, colon), port);
  }

  /** The same host, port {@code port + delta}. */
  public Endpoint plusPort(int delta) {
    long p = (long) port + delta;
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException(
          "port " + port + " + " + delta + " is out of range 1..65535 (" + this + ")");
    }
    return new Endpoint(host, (int) p);
  }

  /** Whether the host is a loopback name or address ({@code localhost}, 127.0.0.0/8, ::1). */
  public boolean isLoopback() {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.equals("localhost")
        || h.startsWith("127.")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  /** {@code HOST:PORT}. */
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
