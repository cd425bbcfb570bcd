package dev.db20.wire;

import java.util.Locale;

/**
 * How a refusal rule is written for people and for {@code check} (SPEC §7.7): the enum constant's
 * name in lower case with its words split by spaces, {@code KEYS_OUT_OF_ORDER} as {@code keys out
 * of order}. The one spelling for the snapshot reader's rules and the op record reader's.
 */
public final class RuleWords {
  private RuleWords() {}

  /** {@code rule} in words. */
  public static String of(Enum<?> rule) {
    return rule.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
