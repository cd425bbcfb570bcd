package wire

import "fmt"

// FNV-1a 64 (SPEC §5; Java: Fnv1a64).
const (
	FnvOffsetBasis uint64 = 0xcbf29ce484222325
	FnvPrime       uint64 = 0x100000001b3
)

// Fnv1a64Update continues digest h over b.
func Fnv1a64Update(h uint64, b []byte) uint64 {
	for _, x := range b {
		h ^= uint64(x)
		h *= FnvPrime
	}
	return h
}

// Fnv1a64 is the digest of b.
func Fnv1a64(b []byte) uint64 {
	return Fnv1a64Update(FnvOffsetBasis, b)
}

// DigestHex writes a digest as 16 lowercase hex digits.
func DigestHex(h uint64) string {
	return fmt.Sprintf("%016x", h)
}

const hexDigits = "0123456789abcdef"

// Hex is lowercase hex of b, "-" for no bytes (SPEC §7).
func Hex(b []byte) string {
	if len(b) == 0 {
		return "-"
	}
	out := make([]byte, 2*len(b))
	for i, x := range b {
		out[2*i] = hexDigits[x>>4]
		out[2*i+1] = hexDigits[x&0xf]
	}
	return string(out)
}
