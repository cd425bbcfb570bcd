/**
 * The db20 model (SPEC §1–3): the {@link dev.db20.core.Op}s, a {@link dev.db20.core.Replica} with
 * its log and sorted state machine, and the {@link dev.db20.core.Cluster} that replicates ops under
 * a quorum, drops messages across partitions, changes view when the leader is cut off, and heals.
 *
 * <p>Everything observable is deterministic: replicas and keys are always visited in a defined
 * order (id order, unsigned bytewise key order), never in hash order.
 */
package dev.db20.core;
