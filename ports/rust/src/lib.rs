//! db20 in Rust: a port of the Java reactor, module for module.
//!
//! | Java module      | Rust module  |
//! |------------------|--------------|
//! | `db20-wire`      | [`wire`]     |
//! | `db20-core`      | [`core`]     |
//! | `db20-workload`  | [`workload`] |
//! | `db20-conformance` (`ScriptRunner`) | [`script`] |
//!
//! The normative text is `SPEC.md`; the choices it leaves open are in `docs/spec-notes.md`.

pub mod core;
pub mod script;
pub mod wire;
pub mod workload;
