package dev.db20.tck;

import dev.db20.conformance.Implementation;

/** The Java implementation, run through the TCK exactly as an outside implementer would. */
class JavaVerificationTest extends Db20Verification {
  @Override
  protected Implementation implementation() {
    return Implementation.java();
  }
}
