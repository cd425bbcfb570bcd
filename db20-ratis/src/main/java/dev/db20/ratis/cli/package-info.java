/**
 * The {@code db20 server}, {@code db20 client} and {@code db20 local} commands. They live beside
 * the Ratis code so db20-cli only registers them; each also has a {@code main} of its own, which
 * {@code db20 local} and the process tests use to start server processes.
 */
package dev.db20.ratis.cli;
