package core

// Replica is one replica of SPEC §2 (Java: Replica): an id and the state version it holds.
// There is no log (docs/core-model.md): a replica's state is a function of its commit index,
// and every catch-up goes to the tip, so no entry is needed after it is applied once.
// Every mutator is unexported; what it hands out is a copy or an immutable value.
type Replica struct {
	id int
	// Invariant: the commit index is state.index; state is the cluster's tip or a frozen
	// version below it, and replicas at one index hold the same *StateVersion.
	state *StateVersion
}

func (r *Replica) ID() int             { return r.id }
func (r *Replica) CommitIndex() uint64 { return r.state.index }
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
	return append([]byte(nil), r.state.snapshotBytes()...)
}

// truncateAndReplay is SPEC §2's catch-up from source: clear, replay source's entries. The
// result is source's state at source's index (docs/core-model.md, fact 4), so the replica
// adopts source's version: the same snapshot, gets and key count, with nothing replayed.
func (r *Replica) truncateAndReplay(source *Replica) {
	r.state = source.state
}
