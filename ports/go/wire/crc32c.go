package wire

import "hash/crc32"

// castagnoli is the CRC-32C table (reflected polynomial 0x82F63B78).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Crc32c is the CRC-32C of b (init and final xor 0xFFFFFFFF).
func Crc32c(b []byte) uint32 {
	return crc32.Checksum(b, castagnoli)
}
