/**
 * The db20 seam: {@link dev.db20.api.KvCluster} (a cluster the script language drives), its
 * optional {@link dev.db20.api.Faults} capability, {@link dev.db20.api.OpSink} (where proposed ops
 * go), the ops of SPEC §1 with their limits, and the result records. The model, the interpreter,
 * the conformance tools and the Ratis client meet here and nowhere else.
 */
package dev.db20.api;
