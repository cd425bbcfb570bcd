package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The random script generator and the batch runner behind {@code cross_test.sh --random}: the
 * scripts are a pure function of (seed, index), {@code --clean} scripts hold only printable ASCII
 * and blanks, and every hostile bad line yields one short printable error line (N12).
 */
class RandomScriptsTest {
  @TempDir Path tmp;

  @Test
  void scriptsArePureFunctionsOfSeedAndIndexAndDiffer() {
    assertArrayEquals(RandomScripts.script(42, 7, false), RandomScripts.script(42, 7, false));
    assertFalse(
        Arrays.equals(RandomScripts.script(42, 7, false), RandomScripts.script(42, 8, false)));
    assertFalse(
        Arrays.equals(RandomScripts.script(42, 7, false), RandomScripts.script(43, 7, false)));
  }

  @Test
  void cleanScriptsArePrintableAscii() {
    for (int i = 0; i < 300; i++) {
      for (byte b : RandomScripts.script(5, i, true)) {
        assertTrue(
            b == '\n' || b == '\r' || b == '\t' || (b >= 0x20 && b <= 0x7e),
            "byte " + (b & 0xff) + " in script " + i);
      }
    }
  }

  @Test
  void batchRunOfHostileScriptsGivesShortPrintableErrorLines() throws IOException {
    for (int i = 0; i < 300; i++) {
      Files.write(tmp.resolve(String.format("r%05d.txt", i)), RandomScripts.script(11, i, false));
    }
    assertEquals(300, RandomScripts.runDirectory(tmp));
    int failed = 0;
    for (int i = 0; i < 300; i++) {
      String name = String.format("r%05d", i);
      String rc = Files.readString(tmp.resolve(name + ".java.rc")).strip();
      String err = Files.readString(tmp.resolve(name + ".java.err"), StandardCharsets.ISO_8859_1);
      if (rc.equals("2")) {
        failed++;
        assertTrue(
            err.startsWith("error line ") && err.endsWith("\n") && err.length() < 400,
            name + ": " + err);
        for (char c : err.substring(0, err.length() - 1).toCharArray()) {
          assertTrue(c >= 0x20 && c <= 0x7e, name + ": raw byte " + (int) c);
        }
      } else {
        assertEquals("0", rc, name);
        assertEquals("", err, name);
      }
    }
    // About one script in three has a bad line; some bad lines are not bad (a hostile seed
    // token that happens to be digits), so the bounds are loose but not vacuous.
    assertTrue(failed > 50 && failed < 200, "failed " + failed);
  }
}
