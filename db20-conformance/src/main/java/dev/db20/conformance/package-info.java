/**
 * The conformance suite: the vectors in {@code db20-conformance/vectors} (also on the classpath) of
 * three kinds, script vectors ({@link dev.db20.conformance.Vector}), {@code check FILE} vectors
 * ({@link dev.db20.conformance.CheckVector}) and process vectors ({@link
 * dev.db20.conformance.ProcessVector}), versioned as one {@link dev.db20.conformance.Suite}; the
 * named scenarios; and the runner ({@link dev.db20.conformance.Conformance}) that checks any
 * implementation of SPEC against them, in-process or as a program.
 */
package dev.db20.conformance;
