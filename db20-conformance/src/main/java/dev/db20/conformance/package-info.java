/**
 * The script language of SPEC §7 ({@link dev.db20.conformance.ScriptRunner}), the named
 * scenarios, and the conformance runner that checks any implementation of SPEC against the
 * vectors in {@code db20-conformance/vectors}.
 */
package dev.db20.conformance;
