// Package core is the db20 model of SPEC §1–3 built as docs/core-model.md says: ops, the
// state machine (KvState), shared state versions, and the cluster (Java: db20-core).
package core

import (
	"fmt"

	"db20/wire"
)

// OpKind is the tag of SPEC §4.1.
type OpKind uint8

const (
	NoOp OpKind = 0
	Put  OpKind = 1
	Del  OpKind = 2
)

func (k OpKind) String() string {
	switch k {
	case NoOp:
		return "NoOp"
	case Put:
		return "Put"
	case Del:
		return "Del"
	}
	return fmt.Sprintf("OpKind(%d)", uint8(k))
}

// Op is one operation of SPEC §1 (Java: Op). The fields are unexported so that every op with
// a key comes from a checked constructor (NewPut, NewDel and their string forms); the zero Op
// is the NoOp. Key and value are Go strings: immutable, so the state machine keeps them as
// they are and every state version shares them without copying.
type Op struct {
	kind  OpKind
	key   string
	value string
}

// NoOpOp is the NoOp (the zero Op).
var NoOpOp = Op{}

func (o Op) Kind() OpKind { return o.kind }

// Key is the op's key ("" for a NoOp).
func (o Op) Key() string { return o.key }

// Value is a fresh copy of a Put's value (empty for NoOp and Del).
func (o Op) Value() []byte { return []byte(o.value) }

func (o Op) String() string {
	switch o.kind {
	case Put:
		return fmt.Sprintf("Put(%s, %s)", wire.Hex([]byte(o.key)), wire.Hex([]byte(o.value)))
	case Del:
		return fmt.Sprintf("Del(%s)", wire.Hex([]byte(o.key)))
	}
	return "NoOp"
}

func checkKey(n int) error {
	if n < wire.MinKeyLen {
		return fmt.Errorf("key length 0 is below the minimum of %d byte", wire.MinKeyLen)
	}
	if n > wire.MaxKeyLen {
		return fmt.Errorf("key length %d exceeds the limit of %d bytes", n, wire.MaxKeyLen)
	}
	return nil
}

func checkValue(n int) error {
	if n > wire.MaxValueLen {
		return fmt.Errorf("value length %d exceeds the limit of %d bytes", n, wire.MaxValueLen)
	}
	return nil
}

// NewPut makes a Put, checking SPEC §1's limits; the bytes are copied.
func NewPut(key, value []byte) (Op, error) {
	if err := checkKey(len(key)); err != nil {
		return Op{}, err
	}
	if err := checkValue(len(value)); err != nil {
		return Op{}, err
	}
	return Op{kind: Put, key: string(key), value: string(value)}, nil
}

// NewPutString is NewPut for strings: nothing is copied (strings are immutable), so the
// workload's cached keys and values go into ops without an allocation.
func NewPutString(key, value string) (Op, error) {
	if err := checkKey(len(key)); err != nil {
		return Op{}, err
	}
	if err := checkValue(len(value)); err != nil {
		return Op{}, err
	}
	return Op{kind: Put, key: key, value: value}, nil
}

// NewDel makes a Del, checking SPEC §1's limits; the bytes are copied.
func NewDel(key []byte) (Op, error) {
	if err := checkKey(len(key)); err != nil {
		return Op{}, err
	}
	return Op{kind: Del, key: string(key)}, nil
}

// NewDelString is NewDel for a string key, without a copy.
func NewDelString(key string) (Op, error) {
	if err := checkKey(len(key)); err != nil {
		return Op{}, err
	}
	return Op{kind: Del, key: key}, nil
}
