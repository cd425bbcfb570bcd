/**
 * The {@code db20} command line tool: runs scripts and scenarios, inspects snapshot files and
 * checks implementations against the conformance vectors.
 */
package dev.db20.cli;
