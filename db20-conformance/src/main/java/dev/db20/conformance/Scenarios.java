package dev.db20.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The named scenarios of SPEC §7, shipped as the vectors {@code scenario-a} and {@code scenario-b}.
 */
public final class Scenarios {
  private Scenarios() {}

  /**
   * The script of scenario {@code name} ({@code A} or {@code B}, either case).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static byte[] script(String name) throws IOException {
    String n = name.toLowerCase(Locale.ROOT);
    if (!n.equals("a") && !n.equals("b")) {
      throw new IllegalArgumentException("unknown scenario '" + name + "': SPEC §7 names A and B");
    }
    String resource = "vectors/scenario-" + n + ".txt";
    try (InputStream in = Scenarios.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " missing from the jar");
      }
      return in.readAllBytes();
    }
  }
}
