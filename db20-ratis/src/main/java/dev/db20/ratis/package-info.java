/**
 * db20 on Apache Ratis: the state machine ({@link dev.db20.ratis.Db20StateMachine}) that applies
 * SPEC §4.1 op records with the one apply code of db20-core, a server wrapper, and a client that
 * implements the script seam so SPEC §7 scripts run on a real cluster.
 */
package dev.db20.ratis;
