package dev.db20.script;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a script as lines of tokens (SPEC §7.1, N1, N11, N13), one token at a time and each within
 * a bound the caller gives (N17): only a token's first {@code keep} bytes are held, the rest is
 * counted, and a token that passes its {@code limit} is refused as soon as it does. A line ends at
 * {@code \n}; one {@code \r} before it, or before the end of the input, is dropped. Memory is one
 * 64 KiB buffer plus the kept bytes, whatever the length of a line. Before each read of the input
 * (the only call that can block) it runs {@code beforeRead}: the runner flushes its output there,
 * so a driver on a pipe sees each line's result before it sends the next line, while a file is
 * still read (and its output written) 64 KiB at a time.
 */
final class TokenReader {
  /** What runs before the input is read. */
  interface BeforeRead {
    void run() throws IOException;
  }

  /** {@link #token}: the line has no more tokens (its end has been read). */
  static final long END_OF_LINE = -1;

  /** {@link #token}: the token passed its limit; the rest of the line is unread. */
  static final long OVER_LIMIT = -2;

  /** {@link #token}'s {@code limit} for a token with no limit. */
  static final long NO_LIMIT = Long.MAX_VALUE;

  /** A token's kept bytes: at most the {@code keep} it was read with. */
  static final class Kept {
    byte[] bytes = new byte[64];
    int length;

    private void append(byte[] b, int from, int n) {
      if (length + n > bytes.length) {
        // n <= keep - length and keep <= 1 MiB + 1: no overflow.
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
      }
      System.arraycopy(b, from, bytes, length, n);
      length += n;
    }
  }

  private final InputStream in;
  private final BeforeRead beforeRead;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int lim;
  private boolean eof;
  private boolean lineEnded = true;

  TokenReader(InputStream in, BeforeRead beforeRead) {
    this.in = in;
    this.beforeRead = beforeRead;
  }

  /** Starts the next line, skipping what is left of the current one; false at end of input. */
  boolean nextLine() throws IOException {
    if (!lineEnded) {
      skipLine();
    }
    if (!fill()) {
      return false;
    }
    lineEnded = false;
    return true;
  }

  /** Skips the rest of the current line, whatever its length, holding none of it. */
  void skipLine() throws IOException {
    while (!lineEnded) {
      if (!fill()) {
        lineEnded = true;
        return;
      }
      int p = pos;
      while (p < lim && buf[p] != '\n') {
        p++;
      }
      if (p < lim) {
        lineEnded = true;
        p++;
      }
      pos = p;
    }
  }

  /**
   * Skips spaces and tabs, then reads one token: its first {@code keep} bytes go to {@code into}
   * (cleared first; null when {@code keep} is 0).
   *
   * @return the token's full length; {@link #END_OF_LINE}; or {@link #OVER_LIMIT} as soon as the
   *     token's {@code limit + 1}-th byte is read
   */
  long token(Kept into, int keep, long limit) throws IOException {
    assert keep == 0 || into != null;
    if (into != null) {
      into.length = 0;
    }
    while (true) {
      if (lineEnded) {
        return END_OF_LINE;
      }
      if (!fill()) {
        lineEnded = true;
        return END_OF_LINE;
      }
      byte c = buf[pos];
      if (c == ' ' || c == '\t') {
        pos++;
      } else if (c == '\n') {
        pos++;
        lineEnded = true;
        return END_OF_LINE;
      } else if (c == '\r' && crEndsLine()) {
        lineEnded = true;
        return END_OF_LINE;
      } else {
        break;
      }
    }
    long n = 0;
    while (true) {
      if (!fill()) {
        lineEnded = true;
        return n;
      }
      int p = pos;
      while (p < lim) {
        byte c = buf[p];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          break;
        }
        p++;
      }
      int run = p - pos;
      if (p + 1 < lim && buf[p] == '\r' && buf[p + 1] != '\n') {
        run++; // a '\r' not at the end of the line is a token byte
        p++;
      }
      if (run > limit - n) {
        pos += (int) (limit - n) + 1;
        return OVER_LIMIT;
      }
      if (into != null && into.length < keep) {
        into.append(buf, pos, Math.min(run, keep - into.length));
      }
      n += run;
      pos = p;
      if (p == lim) {
        continue;
      }
      byte c = buf[p];
      if (c == '\r') {
        // A '\r' before '\n', or the last byte in the buffer: crEndsLine reads on to tell.
        if (crEndsLine()) {
          lineEnded = true;
          return n;
        }
        continue;
      }
      if (c == ' ' || c == '\t') {
        return n;
      }
      if (c == '\n') {
        pos++;
        lineEnded = true;
        return n;
      }
    }
  }

  /**
   * For the '\r' at {@code pos}: whether a '\n' or the end of the input follows it. If so, both are
   * consumed; if not, nothing is.
   */
  private boolean crEndsLine() throws IOException {
    assert buf[pos] == '\r' : "crEndsLine at " + pos + " on " + buf[pos];
    if (pos + 1 == lim) {
      buf[0] = '\r';
      pos = 0;
      lim = 1;
      int r;
      beforeRead.run();
      do {
        r = in.read(buf, 1, buf.length - 1);
      } while (r == 0);
      if (r < 0) {
        eof = true;
        pos = lim = 0;
        return true;
      }
      lim = 1 + r;
    }
    if (buf[pos + 1] == '\n') {
      pos += 2;
      return true;
    }
    return false;
  }

  private boolean fill() throws IOException {
    if (pos < lim) {
      return true;
    }
    if (eof) {
      return false;
    }
    int r;
    beforeRead.run();
    do {
      r = in.read(buf);
    } while (r == 0);
    pos = 0;
    if (r < 0) {
      eof = true;
      lim = 0;
      return false;
    }
    lim = r;
    return true;
  }
}
