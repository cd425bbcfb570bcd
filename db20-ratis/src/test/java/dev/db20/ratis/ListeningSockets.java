package dev.db20.ratis;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP sockets in state LISTEN from {@code /proc/net/tcp} and {@code /proc/net/tcp6} (Linux),
 * each with its local address decoded from the kernel's hex (32-bit words in host byte order; an
 * IPv4-mapped IPv6 address comes out as IPv4). What {@code ss -ltn} shows, without needing ss.
 */
public final class ListeningSockets {
  private ListeningSockets() {}

  /** The state column's value for LISTEN. */
  private static final String LISTEN = "0A";

  /**
   * One listening socket: the local address ({@code 127.0.0.1}, {@code 0.0.0.0}, ...), the port.
   */
  public record Listener(String address, int port) {}

  /** The address /proc/net/tcp{,6} prints as {@code hex}: 32-bit words, each little-endian. */
  static String decode(String hex) throws IOException {
    byte[] b = new byte[hex.length() / 2];
    for (int w = 0; w < b.length / 4; w++) {
      for (int k = 0; k < 4; k++) {
        int at = (w * 4 + k) * 2;
        b[w * 4 + 3 - k] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(b).getHostAddress();
  }

  /** Every socket listening on {@code port}, IPv4 and IPv6. */
  public static List<Listener> on(int port) throws IOException {
    List<Listener> out = new ArrayList<>();
    for (String f : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(f);
      if (!Files.exists(p)) {
        continue;
      }
      List<String> lines = Files.readAllLines(p, StandardCharsets.US_ASCII);
      for (String line : lines.subList(1, lines.size())) {
        String[] cols = line.trim().split("\\s+");
        String[] local = cols[1].split(":");
        int localPort = Integer.parseInt(local[1], 16);
        if (localPort == port && cols[3].equals(LISTEN)) {
          out.add(new Listener(decode(local[0]), localPort));
        }
      }
    }
    return out;
  }
}
