/**
 * The script language of SPEC §7: {@link dev.db20.script.ScriptRunner} reads a script a line at a
 * time and drives a cluster, printing one line per result. It is the one interface every
 * implementation runs, so the conformance suite can compare them byte for byte.
 */
package dev.db20.script;
