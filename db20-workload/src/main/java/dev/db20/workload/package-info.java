/**
 * The deterministic workload of SPEC §6: {@link dev.db20.workload.SplitMix64} and the {@link
 * dev.db20.workload.Workload} decoder that turns three draws into one {@link dev.db20.core.Op}.
 */
package dev.db20.workload;
