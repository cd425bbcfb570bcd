/**
 * The db20 TCK: {@link dev.db20.tck.Db20Verification}, a JUnit 5 base class that turns every
 * conformance vector into a test of the implementation its subclass supplies.
 */
package dev.db20.tck;
