package dev.db20.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The script interpreter (SPEC §7) on any bytes: the script runs to its end, or stops with a {@link
 * ScriptException} whose message is one short line of printable ASCII (N12: input bytes are escaped
 * and cut). Any other exception is a finding.
 *
 * <p>An {@code ops} count from the input could keep one input running for hours, so the target cuts
 * every token after {@code ops} to at most three characters ({@link #capOps}) before running;
 * number parsing is still fuzzed through every other command.
 */
class ScriptFuzzTest {
  @FuzzTest
  void run(byte[] input) throws IOException {
    byte[] script = capOps(input);
    try {
      new ScriptRunner(OutputStream.nullOutputStream()).run(new ByteArrayInputStream(script));
    } catch (ScriptException e) {
      String m = e.getMessage();
      assertTrue(m.startsWith("error line " + e.line() + ": "), m);
      // 64 quoted bytes at most 4 characters each, plus the fixed text around them.
      assertTrue(m.length() < 400, "error line of " + m.length() + " characters");
      for (int i = 0; i < m.length(); i++) {
        char c = m.charAt(i);
        assertTrue(c >= 0x20 && c <= 0x7e, "raw byte " + (int) c + " in the error line: " + m);
      }
    }
  }

  /**
   * Replaces every digit run of 4 or more characters that follows {@code ops} on a line, so that a
   * fuzzed {@code ops 99999999} does not spend the whole run drawing ops. Only the digits change;
   * the script's structure (lines, tokens) stays.
   */
  static byte[] capOps(byte[] in) {
    byte[] out = in.clone();
    for (int i = 0; i + 3 <= out.length; i++) {
      boolean lineStart = i == 0 || out[i - 1] == '\n';
      if (!(out[i] == 'o' && out[i + 1] == 'p' && out[i + 2] == 's')) {
        continue;
      }
      // ops may follow blanks at the start of a line.
      int s = i - 1;
      while (s >= 0 && (out[s] == ' ' || out[s] == '\t')) {
        s--;
      }
      if (!(lineStart || s < 0 || out[s] == '\n')) {
        continue;
      }
      int j = i + 3;
      while (j < out.length && out[j] != '\n') {
        // Any byte that could be a digit of the count (hex included) becomes '1' after three.
        int k = j;
        while (k < out.length && out[k] != ' ' && out[k] != '\t' && out[k] != '\n') {
          k++;
        }
        if (k - j > 3) {
          for (int x = j; x < k; x++) {
            out[x] = (byte) (x - j < 3 ? '1' : ' ');
          }
        }
        j = k < out.length && out[k] != '\n' ? k + 1 : k;
      }
    }
    return out;
  }
}
