// Package db20 is the Go port of db20, module for module:
//
//	Java db20-wire          -> db20/wire
//	Java db20-core          -> db20/core (KvState, StateVersion, Replica, Cluster)
//	Java db20-workload      -> db20/workload
//	Java db20-conformance   -> db20/script (ScriptRunner)
//	Java db20-cli           -> db20/cmd/db20 (run FILE|-, check FILE)
//
// The normative text is SPEC.md; the choices it leaves open are in docs/spec-notes.md; the
// core's representation (one history, shared state versions, no log) is docs/core-model.md.
// Fuzzing: docs/fuzz-go.md.
package db20
