/**
 * The conformance suite: the vectors in {@code db20-conformance/vectors} (also on the classpath),
 * the named scenarios, and the runner that checks any implementation of SPEC against them.
 */
package dev.db20.conformance;
