package dev.db20.script;

/**
 * A bad script line (SPEC §7): the run stops, and the program prints {@link #getMessage()}, {@code
 * error line L: MESSAGE}, to standard error and exits with status 2.
 */
public final class ScriptException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long line;
  private final String detail;

  ScriptException(long line, String detail) {
    super("error line " + line + ": " + detail);
    this.line = line;
    this.detail = detail;
  }

  /** The 1-based line number of the bad line. */
  public long line() {
    return line;
  }

  /** The message without the {@code error line L: } prefix. */
  public String detail() {
    return detail;
  }
}
