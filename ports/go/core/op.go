// Package core is the db20 model of SPEC §1–3: ops, a replica, and the cluster (Java: db20-core).
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

// Op is one operation of SPEC §1 (Java: Op). Ops are immutable once made: the same *Op sits in
// every replica's log, never copied.
type Op struct {
	Kind  OpKind
	Key   string
	Value []byte
}

// NoOpOp is the one NoOp worth having.
var NoOpOp = &Op{Kind: NoOp}

func checkKey(key []byte) error {
	if len(key) < wire.MinKeyLen {
		return fmt.Errorf("key length 0 is below the minimum of 1 byte")
	}
	if len(key) > wire.MaxKeyLen {
		return fmt.Errorf("key length %d exceeds the limit of %d bytes", len(key), wire.MaxKeyLen)
	}
	return nil
}

// NewPut makes a Put, checking SPEC §1's limits; the bytes are copied.
func NewPut(key, value []byte) (*Op, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if len(value) > wire.MaxValueLen {
		return nil, fmt.Errorf("value length %d exceeds the limit of %d bytes", len(value), wire.MaxValueLen)
	}
	return &Op{Kind: Put, Key: string(key), Value: append([]byte{}, value...)}, nil
}

// NewDel makes a Del, checking SPEC §1's limits; the bytes are copied.
func NewDel(key []byte) (*Op, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	return &Op{Kind: Del, Key: string(key)}, nil
}
