package core

// Replica is one replica of SPEC §2 (Java: Replica): an id and the state version it holds.
// There is no log (docs/core-model.md): a replica's state is a function of its commit index,
// and every catch-up goes to the tip, so no entry is needed after it is applied once.
// Every mutator is unexported; what it hands out is a copy or an immutable value.
type Replica struct {
	id int
	// Invariant: the commit index is state.Index() <= the cluster's tip index; every replica at
	// the tip index holds the tip itself, and replicas at one index hold one version.
	state StateVersion
}

func (r *Replica) ID() int             { return r.id }
func (r *Replica) CommitIndex() uint64 { return r.state.Index() }
func (r *Replica) KeyCount() int       { return r.state.KeyCount() }

// Get is a fresh copy of key's value in this replica's state machine.
func (r *Replica) Get(key []byte) ([]byte, bool) {
	v, ok := r.state.get(string(key))
	if !ok {
		return nil, false
	}
	return []byte(v), true
}

// DumpState is the canonical snapshot of SPEC §4, a fresh copy of the version's cached bytes.
func (r *Replica) DumpState() []byte {
	return append([]byte(nil), r.state.snapshot()...)
}

// adopt is catch-up as SPEC §2's truncate_and_replay defines its result: the state becomes
// exactly source's (docs/core-model.md, fact 4). The source's version is handed over, not
// replayed.
func (r *Replica) adopt(source StateVersion) {
	r.state = source
}
