package wire

// Little-endian writes and reads; width and byte order are in every name (Java: LittleEndian).

func PutU16Le(b []byte, off int, v uint16) {
	b[off] = byte(v)
	b[off+1] = byte(v >> 8)
}

func PutU32Le(b []byte, off int, v uint32) {
	for i := 0; i < 4; i++ {
		b[off+i] = byte(v >> (8 * i))
	}
}

func PutU64Le(b []byte, off int, v uint64) {
	for i := 0; i < 8; i++ {
		b[off+i] = byte(v >> (8 * i))
	}
}

func GetU16Le(b []byte, off int) uint16 {
	return uint16(b[off]) | uint16(b[off+1])<<8
}

func GetU32Le(b []byte, off int) uint32 {
	var v uint32
	for i := 0; i < 4; i++ {
		v |= uint32(b[off+i]) << (8 * i)
	}
	return v
}

func GetU64Le(b []byte, off int) uint64 {
	var v uint64
	for i := 0; i < 8; i++ {
		v |= uint64(b[off+i]) << (8 * i)
	}
	return v
}
