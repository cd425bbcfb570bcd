//! The db20 model (SPEC §1–3): ops, a replica, and the cluster (Java: `db20-core`).

pub mod cluster;
pub mod op;
pub mod replica;

pub use cluster::{Cluster, ProposeResult, ReadResult};
pub use op::{Op, OpError};
pub use replica::{Replica, ReplicaLog};
