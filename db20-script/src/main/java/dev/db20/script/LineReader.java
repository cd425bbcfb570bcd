package dev.db20.script;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a script line by line as bytes (spec-notes N1, N11): a line ends at {@code \n}, one
 * {@code \r} before it is dropped, and a last line without {@code \n} still counts. Holds one
 * line at a time, so a script of any length streams through. Before each read of the input (the
 * only call that can block) it runs {@code beforeRead}: the runner flushes its output there, so a
 * driver on a pipe sees each line's result before it sends the next line, while a file still
 * reads (and its output is written) a 64 KiB chunk at a time.
 */
final class LineReader {
  /** What runs before the input is read. */
  interface BeforeRead {
    void run() throws IOException;
  }

  private final InputStream in;
  private final BeforeRead beforeRead;
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPos;
  private int chunkLen;
  private byte[] line = new byte[256];
  private int lineLen;

  LineReader(InputStream in, BeforeRead beforeRead) {
    this.in = in;
    this.beforeRead = beforeRead;
  }

  /** The next line without its ending, valid until the next call; null at the end of input. */
  byte[] next() throws IOException {
    lineLen = 0;
    boolean any = false;
    while (true) {
      if (chunkPos == chunkLen) {
        beforeRead.run();
        chunkLen = in.read(chunk);
        chunkPos = 0;
        if (chunkLen <= 0) {
          chunkLen = 0;
          return any ? finish() : null;
        }
      }
      any = true;
      int start = chunkPos;
      while (chunkPos < chunkLen && chunk[chunkPos] != '\n') {
        chunkPos++;
      }
      append(start, chunkPos - start);
      if (chunkPos < chunkLen) {
        chunkPos++; // the '\n'
        return finish();
      }
    }
  }

  /** Length of the line {@link #next()} returned. */
  int length() {
    return lineLen;
  }

  private byte[] finish() {
    if (lineLen > 0 && line[lineLen - 1] == '\r') {
      lineLen--;
    }
    return line;
  }

  private void append(int from, int len) {
    if (lineLen + len > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + len));
    }
    System.arraycopy(chunk, from, line, lineLen, len);
    lineLen += len;
  }
}
