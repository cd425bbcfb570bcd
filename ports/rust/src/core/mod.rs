//! The db20 model (SPEC §1–3): ops, the state machine, state versions, replicas and the cluster
//! (Java: `db20-core`). The representation is docs/core-model.md's: one history, shared states.

pub mod cluster;
pub mod kv_state;
pub mod op;
pub mod replica;
mod state_version;

pub use cluster::{Cluster, ProposeResult, ReadResult};
pub use kv_state::KvState;
pub use op::{Bytes, Op, OpError, OpKind, OpRecordError};
pub use replica::Replica;
