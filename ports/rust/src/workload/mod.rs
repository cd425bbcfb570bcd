//! splitmix64 and the workload decoder of SPEC §6 (Java: `db20-workload`).

pub mod splitmix64;
#[allow(clippy::module_inception)]
pub mod workload;

pub use splitmix64::SplitMix64;
pub use workload::Workload;
