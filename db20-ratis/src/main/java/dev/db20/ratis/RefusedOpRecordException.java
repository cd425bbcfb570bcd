package dev.db20.ratis;

import dev.db20.core.OpRecordFormatException;

/**
 * Why the leader refused a write: the strict op record decoder's offset and rule, so nothing was
 * logged. It travels to the client as the cause of Ratis's {@code StateMachineException}: Ratis
 * sends its class name and message and rebuilds it on the client with the one-string constructor,
 * so the message is the wire form, {@code OFFSET RULE} (decimal offset, the {@link
 * OpRecordFormatException.Rule} name). It carries no stack trace.
 */
public final class RefusedOpRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long offset;
  private final OpRecordFormatException.Rule rule;

  /** The refusal {@code e} names. */
  public RefusedOpRecordException(OpRecordFormatException e) {
    this(e.offset() + " " + e.rule().name());
  }

  /**
   * Rebuilds a refusal from its wire form, {@code OFFSET RULE}.
   *
   * @throws IllegalArgumentException if {@code wire} is not of that form
   */
  public RefusedOpRecordException(String wire) {
    super(wire, null, false, false);
    String[] parts = wire == null ? new String[0] : wire.split(" ", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("not a refusal's wire form: '" + wire + "'");
    }
    try {
      this.offset = Long.parseLong(parts[0]);
      this.rule = OpRecordFormatException.Rule.valueOf(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a refusal's wire form: '" + wire + "'", e);
    }
  }

  /** The byte offset in the record of the field that broke the rule. */
  public long offset() {
    return offset;
  }

  /** The rule broken. */
  public OpRecordFormatException.Rule rule() {
    return rule;
  }

  /** What a client prints: {@code bad op record offset O: RULE IN WORDS}. */
  public String describe() {
    return "bad op record offset " + offset + ": " + rule.words();
  }
}
