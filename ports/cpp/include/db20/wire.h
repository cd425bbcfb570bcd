// The snapshot byte format of SPEC §4, CRC-32C and FNV-1a 64 (Java: db20-wire).
#ifndef DB20_WIRE_H
#define DB20_WIRE_H

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace db20::wire {

using Bytes = std::string;  // byte strings; ordered with bytes_less/bytes_compare below

// Unsigned bytewise order of SPEC §4 (a proper prefix sorts first). memcmp compares as unsigned
// char on every platform, whereas `char` itself may be signed; we never rely on operator<.
int bytes_compare(const char* a, size_t alen, const char* b, size_t blen);
inline int bytes_compare(const Bytes& a, const Bytes& b) {
  return bytes_compare(a.data(), a.size(), b.data(), b.size());
}
inline bool bytes_less(const Bytes& a, const Bytes& b) { return bytes_compare(a, b) < 0; }

// Every offset and size of the canonical snapshot, format version 1 (Java: SnapshotFormat).
// Each offset is the previous offset plus the previous size.
namespace snapshot_format {
inline constexpr char MAGIC[4] = {'D', 'B', '2', '0'};
inline constexpr uint16_t VERSION = 1;
inline constexpr uint16_t FLAGS = 0;
inline constexpr size_t OFFSET_MAGIC = 0;
inline constexpr size_t SIZE_MAGIC = 4;
inline constexpr size_t OFFSET_VERSION = OFFSET_MAGIC + SIZE_MAGIC;
inline constexpr size_t SIZE_VERSION = 2;
inline constexpr size_t OFFSET_FLAGS = OFFSET_VERSION + SIZE_VERSION;
inline constexpr size_t SIZE_FLAGS = 2;
inline constexpr size_t OFFSET_COMMIT_INDEX = OFFSET_FLAGS + SIZE_FLAGS;
inline constexpr size_t SIZE_COMMIT_INDEX = 8;
inline constexpr size_t OFFSET_ENTRY_COUNT = OFFSET_COMMIT_INDEX + SIZE_COMMIT_INDEX;
inline constexpr size_t SIZE_ENTRY_COUNT = 4;
inline constexpr size_t HEADER_SIZE = OFFSET_ENTRY_COUNT + SIZE_ENTRY_COUNT;
inline constexpr size_t SIZE_LENGTH_PREFIX = 4;
inline constexpr size_t SIZE_CRC = 4;
inline constexpr size_t MIN_SNAPSHOT_SIZE = HEADER_SIZE + SIZE_CRC;
inline constexpr size_t MIN_KEY_LEN = 1;
inline constexpr size_t MAX_KEY_LEN = 65535;
inline constexpr size_t MAX_VALUE_LEN = 1048576;
inline constexpr size_t MIN_ENTRY_SIZE = 2 * SIZE_LENGTH_PREFIX + MIN_KEY_LEN;
}  // namespace snapshot_format

// Little-endian writes and reads; width and byte order in every name (Java: LittleEndian).
void put_u16_le(uint8_t* buf, uint16_t v);
void put_u32_le(uint8_t* buf, uint32_t v);
void put_u64_le(uint8_t* buf, uint64_t v);
uint16_t get_u16_le(const uint8_t* buf);
uint32_t get_u32_le(const uint8_t* buf);
uint64_t get_u64_le(const uint8_t* buf);

uint32_t crc32c(const uint8_t* data, size_t len);
inline uint32_t crc32c(const std::string& s) {
  return crc32c(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

inline constexpr uint64_t FNV_OFFSET_BASIS = 0xcbf29ce484222325ULL;
inline constexpr uint64_t FNV_PRIME = 0x100000001b3ULL;
uint64_t fnv1a64_update(uint64_t h, const uint8_t* data, size_t len);
inline uint64_t fnv1a64(const std::string& s) {
  return fnv1a64_update(FNV_OFFSET_BASIS, reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
std::string digest_hex(uint64_t h);                // 16 lowercase hex digits
std::string hex(const uint8_t* data, size_t len);  // lowercase, "-" for no bytes
inline std::string hex(const std::vector<uint8_t>& b) { return hex(b.data(), b.size()); }
inline std::string hex(const std::string& b) {
  return hex(reinterpret_cast<const uint8_t*>(b.data()), b.size());
}

struct SnapshotState {
  uint64_t commit_index = 0;
  std::vector<std::pair<Bytes, Bytes>> entries;  // sorted by key
  bool operator==(const SnapshotState& o) const {
    return commit_index == o.commit_index && entries == o.entries;
  }
};

// Every reason SPEC §4 gives a reader to refuse a snapshot.
enum class Rule {
  BadMagic,
  UnknownVersion,
  NonzeroFlags,
  Truncated,
  LengthPastEnd,
  EmptyKey,
  KeyTooLong,
  ValueTooLong,
  KeysOutOfOrder,
  DuplicateKey,
  TrailingBytes,
  CrcMismatch
};
const char* rule_text(Rule r);

// The strict reader refused a snapshot: what() is "offset N: rule: detail".
class SnapshotFormatError : public std::runtime_error {
 public:
  SnapshotFormatError(size_t offset, Rule rule, const std::string& detail);
  size_t offset() const { return offset_; }
  Rule rule() const { return rule_; }

 private:
  size_t offset_;
  Rule rule_;
};

// Writes the canonical snapshot in one pass into one buffer of exactly MIN_SNAPSHOT_SIZE +
// payload bytes. Entries: strictly increasing keys within SPEC §1's limits (checked: a caller
// bug throws std::logic_error). `Map` is any ordered map-like range of (Bytes, Bytes) pairs.
template <typename Range>
std::vector<uint8_t> encode_snapshot(uint64_t commit_index, size_t count, size_t payload,
                                     const Range& entries);

std::vector<uint8_t> encode_snapshot(const SnapshotState& state);

// What the strict reader learns from a snapshot it accepts, without holding its entries.
struct SnapshotSummary {
  uint64_t commit_index = 0;
  uint32_t entry_count = 0;
  uint32_t crc = 0;  // the stored CRC-32C, equal to the computed one
};

// The stream could not be read (an I/O error, or it ended before its stated size).
class SnapshotReadError : public std::runtime_error {
 public:
  SnapshotReadError() : std::runtime_error("read error") {}
};

// The strict reader over a stream of `size` bytes (a regular file's length), read front to
// back in memory bounded by one entry whatever `size` is: a bad magic is refused after 4 bytes.
// Throws SnapshotFormatError exactly as load_state does for the same bytes, at the same
// offset, or SnapshotReadError.
SnapshotSummary validate_snapshot_stream(std::FILE* in, uint64_t size);

// The strict reader (SPEC §4 load_state); throws SnapshotFormatError.
SnapshotState load_state(const uint8_t* data, size_t len);
inline SnapshotState load_state(const std::vector<uint8_t>& b) {
  return load_state(b.data(), b.size());
}

// ---- template definition ----
void encode_header(uint8_t* buf, uint64_t commit_index, size_t count);
size_t encode_bytes(uint8_t* buf, size_t at, const Bytes& b);
void check_entry(const Bytes* previous, const Bytes& key, const Bytes& value);
void encode_crc(std::vector<uint8_t>& buf, size_t at);

template <typename Range>
std::vector<uint8_t> encode_snapshot(uint64_t commit_index, size_t count, size_t payload,
                                     const Range& entries) {
  std::vector<uint8_t> buf(snapshot_format::MIN_SNAPSHOT_SIZE + payload);
  encode_header(buf.data(), commit_index, count);
  size_t at = snapshot_format::HEADER_SIZE;
  size_t written = 0;
  const Bytes* previous = nullptr;
  for (const auto& [key, value] : entries) {
    check_entry(previous, key, value);
    previous = &key;
    if (at + 2 * snapshot_format::SIZE_LENGTH_PREFIX + key.size() + value.size() >
        buf.size() - snapshot_format::SIZE_CRC) {
      throw std::logic_error("payload size given is smaller than the entries");
    }
    at = encode_bytes(buf.data(), at, key);
    at = encode_bytes(buf.data(), at, value);
    ++written;
  }
  if (written != count) throw std::logic_error("entry count differs from entries written");
  encode_crc(buf, at);
  return buf;
}

}  // namespace db20::wire

#endif
