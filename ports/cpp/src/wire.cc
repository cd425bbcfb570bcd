#include "db20/wire.h"

#include <array>
#include <cstdio>
#include <cstring>

namespace db20::wire {
using namespace snapshot_format;

int bytes_compare(const char* a, size_t alen, const char* b, size_t blen) {
  size_t n = alen < blen ? alen : blen;
  int c = n == 0 ? 0 : std::memcmp(a, b, n);
  if (c != 0) return c;
  return alen < blen ? -1 : alen > blen ? 1 : 0;
}

void put_u16_le(uint8_t* b, uint16_t v) {
  b[0] = static_cast<uint8_t>(v);
  b[1] = static_cast<uint8_t>(v >> 8);
}
void put_u32_le(uint8_t* b, uint32_t v) {
  for (int i = 0; i < 4; i++) b[i] = static_cast<uint8_t>(v >> (8 * i));
}
void put_u64_le(uint8_t* b, uint64_t v) {
  for (int i = 0; i < 8; i++) b[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint16_t get_u16_le(const uint8_t* b) { return static_cast<uint16_t>(b[0] | (b[1] << 8)); }
uint32_t get_u32_le(const uint8_t* b) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) v |= static_cast<uint32_t>(b[i]) << (8 * i);
  return v;
}
uint64_t get_u64_le(const uint8_t* b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= static_cast<uint64_t>(b[i]) << (8 * i);
  return v;
}

namespace {
std::array<uint32_t, 256> make_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    t[i] = c;
  }
  return t;
}
const std::array<uint32_t, 256> kCrcTable = make_table();
}  // namespace

namespace {
// The CRC-32C register after `data`, from `crc` (no initial value or final xor applied).
uint32_t crc32c_raw(uint32_t crc, const uint8_t* data, size_t len) {
  for (size_t i = 0; i < len; i++) crc = kCrcTable[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc;
}
}  // namespace

uint32_t crc32c(const uint8_t* data, size_t len) {
  return crc32c_raw(0xFFFFFFFFu, data, len) ^ 0xFFFFFFFFu;
}

uint64_t fnv1a64_update(uint64_t h, const uint8_t* data, size_t len) {
  for (size_t i = 0; i < len; i++) {
    h ^= data[i];
    h *= FNV_PRIME;
  }
  return h;
}

std::string hex(const uint8_t* data, size_t len) {
  if (len == 0) return "-";
  static const char* digits = "0123456789abcdef";
  std::string out(2 * len, '0');
  for (size_t i = 0; i < len; i++) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 0xf];
  }
  return out;
}

std::string digest_hex(uint64_t h) {
  uint8_t be[8];
  for (int i = 0; i < 8; i++) be[i] = static_cast<uint8_t>(h >> (8 * (7 - i)));
  return hex(be, 8);
}

const char* rule_text(Rule r) {
  switch (r) {
    case Rule::BadMagic:
      return "bad magic";
    case Rule::UnknownVersion:
      return "unknown version";
    case Rule::NonzeroFlags:
      return "nonzero flags";
    case Rule::Truncated:
      return "truncated";
    case Rule::LengthPastEnd:
      return "length past end";
    case Rule::EmptyKey:
      return "empty key";
    case Rule::KeyTooLong:
      return "key too long";
    case Rule::ValueTooLong:
      return "value too long";
    case Rule::KeysOutOfOrder:
      return "keys out of order";
    case Rule::DuplicateKey:
      return "duplicate key";
    case Rule::TrailingBytes:
      return "trailing bytes";
    case Rule::CrcMismatch:
      return "crc mismatch";
  }
  return "?";
}

SnapshotFormatError::SnapshotFormatError(size_t offset, Rule rule, const std::string& detail)
    : std::runtime_error("offset " + std::to_string(offset) + ": " + rule_text(rule) + ": " +
                         detail),
      offset_(offset),
      rule_(rule) {}

void encode_header(uint8_t* buf, uint64_t commit_index, size_t count) {
  std::memcpy(buf + OFFSET_MAGIC, MAGIC, SIZE_MAGIC);  // bytes, not a host-endian integer
  put_u16_le(buf + OFFSET_VERSION, VERSION);
  put_u16_le(buf + OFFSET_FLAGS, FLAGS);
  put_u64_le(buf + OFFSET_COMMIT_INDEX, commit_index);
  if (count > 0xFFFFFFFFu) throw std::logic_error("entry count does not fit u32");
  put_u32_le(buf + OFFSET_ENTRY_COUNT, static_cast<uint32_t>(count));
}

size_t encode_bytes(uint8_t* buf, size_t at, const Bytes& b) {
  put_u32_le(buf + at, static_cast<uint32_t>(b.size()));
  if (!b.empty()) std::memcpy(buf + at + SIZE_LENGTH_PREFIX, b.data(), b.size());
  return at + SIZE_LENGTH_PREFIX + b.size();
}

void check_entry(const Bytes* previous, const Bytes& key, const Bytes& value) {
  if (key.size() < MIN_KEY_LEN || key.size() > MAX_KEY_LEN || value.size() > MAX_VALUE_LEN) {
    throw std::logic_error("entry outside the limits of SPEC 1");
  }
  if (previous != nullptr && !bytes_less(*previous, key))
    throw std::logic_error("keys not strictly increasing");
}

void encode_crc(std::vector<uint8_t>& buf, size_t at) {
  if (at != buf.size() - SIZE_CRC) {
    throw std::logic_error("crc offset(" + std::to_string(at) + ") != size(" +
                           std::to_string(buf.size()) + ") - 4");
  }
  put_u32_le(buf.data() + at, crc32c(buf.data(), at));
}

std::vector<uint8_t> encode_snapshot(const SnapshotState& s) {
  size_t payload = 0;
  for (const auto& [k, v] : s.entries) payload += 2 * SIZE_LENGTH_PREFIX + k.size() + v.size();
  return encode_snapshot(s.commit_index, s.entries.size(), payload, s.entries);
}

namespace {
// A snapshot held whole.
struct ArraySource {
  const uint8_t* data;
  size_t len;
  size_t size() const { return len; }
  // The n bytes at `at` (the caller has checked that they are there).
  const uint8_t* take(size_t at, size_t) { return data + at; }
  uint32_t crc_before(size_t at) { return crc32c(data, at); }
};

// A stream of known size read front to back through stdio's buffer: holds the field at hand
// (at most one value, 1 MiB) and the CRC of every byte taken so far.
struct StreamSource {
  std::FILE* in;
  size_t len;
  std::vector<uint8_t> held;
  uint32_t crc = 0xFFFFFFFFu;
  size_t size() const { return len; }
  const uint8_t* take(size_t, size_t n) {
    held.resize(n);
    if (n > 0 && std::fread(held.data(), 1, n, in) != n) throw SnapshotReadError();
    crc = crc32c_raw(crc, held.data(), n);
    return held.data();
  }
  uint32_t crc_before(size_t) const { return crc ^ 0xFFFFFFFFu; }
};

// A read position over untrusted bytes; every read checks the bytes remaining first.
template <typename Source>
struct Cursor {
  Source& src;
  size_t at = 0;

  size_t remain() const { return src.size() - at; }
  void need(size_t size, const std::string& field) const {
    if (remain() < size) {
      throw SnapshotFormatError(at, Rule::Truncated,
                                "buffer ends early: " + field + " needs " + std::to_string(size) +
                                    " bytes, " + std::to_string(remain()) + " remain");
    }
  }
  const uint8_t* take(size_t n, const std::string& f) {
    need(n, f);
    at += n;
    return src.take(at - n, n);
  }
  uint16_t u16(const std::string& f) { return get_u16_le(take(2, f)); }
  uint32_t u32(const std::string& f) { return get_u32_le(take(4, f)); }
  uint64_t u64(const std::string& f) { return get_u64_le(take(8, f)); }
  Bytes bytes(size_t len_at, uint32_t n, const std::string& field) {
    if (n > remain()) {
      throw SnapshotFormatError(len_at, Rule::LengthPastEnd,
                                field + " of length " + std::to_string(n) + " runs past the end: " +
                                    std::to_string(remain()) + " bytes remain");
    }
    at += n;
    return Bytes(reinterpret_cast<const char*>(src.take(at - n, n)), n);
  }
};

std::string hex32(uint32_t v) {
  uint8_t be[4];
  for (int i = 0; i < 4; i++) be[i] = static_cast<uint8_t>(v >> (8 * (3 - i)));
  return hex(be, 4);
}
}  // namespace

namespace {
// The strict reader of SPEC §4, one pass front to back with the CRC checked last, over either
// source; on_entry(key, value) sees each entry in order. Throws SnapshotFormatError naming the
// offset and the rule (and a StreamSource's SnapshotReadError).
template <typename Source, typename OnEntry>
SnapshotSummary read_snapshot(Source& src, OnEntry on_entry) {
  Cursor<Source> c{src};
  const uint8_t* magic = c.take(SIZE_MAGIC, "magic");
  if (std::memcmp(magic, MAGIC, SIZE_MAGIC) != 0) {
    throw SnapshotFormatError(OFFSET_MAGIC, Rule::BadMagic,
                              "expected 44423230 (\"DB20\"), found " + hex(magic, SIZE_MAGIC));
  }
  uint16_t version = c.u16("format version");
  if (version != VERSION) {
    throw SnapshotFormatError(
        OFFSET_VERSION, Rule::UnknownVersion,
        "format version " + std::to_string(version) + ", this reader knows only 1");
  }
  uint16_t flags = c.u16("flags");
  if (flags != FLAGS) {
    throw SnapshotFormatError(OFFSET_FLAGS, Rule::NonzeroFlags,
                              "flags " + std::to_string(flags) + ", must be 0 (reserved)");
  }
  SnapshotSummary summary;
  summary.commit_index = c.u64("commit_index");
  uint32_t count = c.u32("entry count");
  const size_t len = src.size();
  size_t room = len >= c.at + SIZE_CRC ? len - c.at - SIZE_CRC : 0;
  // SPEC §4.0: the file must hold 24 + 9n bytes, n = 0 included (a 20-23-byte file fails here).
  if (uint64_t{len} < uint64_t{HEADER_SIZE} + SIZE_CRC + uint64_t{count} * MIN_ENTRY_SIZE) {
    throw SnapshotFormatError(OFFSET_ENTRY_COUNT, Rule::LengthPastEnd,
                              "entry count " + std::to_string(count) + " needs at least " +
                                  std::to_string(uint64_t{count} * MIN_ENTRY_SIZE) +
                                  " bytes of entries, " + std::to_string(room) +
                                  " remain before the CRC");
  }
  summary.entry_count = count;
  Bytes prev;
  for (uint32_t i = 0; i < count; i++) {
    std::string n = std::to_string(i);
    size_t key_at = c.at;
    uint32_t key_len = c.u32("key length of entry " + n);
    if (key_len == 0)
      throw SnapshotFormatError(key_at, Rule::EmptyKey, "entry " + n + " has a key of length 0");
    if (key_len > MAX_KEY_LEN) {
      throw SnapshotFormatError(key_at, Rule::KeyTooLong,
                                "entry " + n + " key length " + std::to_string(key_len) +
                                    " exceeds the limit of 65535 bytes");
    }
    Bytes key = c.bytes(key_at, key_len, "key of entry " + n);
    if (i > 0) {
      int order = bytes_compare(prev, key);
      if (order == 0)
        throw SnapshotFormatError(key_at, Rule::DuplicateKey,
                                  "entry " + n + " repeats key " + hex(key));
      if (order > 0) {
        throw SnapshotFormatError(
            key_at, Rule::KeysOutOfOrder,
            "entry " + n + " key " + hex(key) + " sorts before the previous key " + hex(prev));
      }
    }
    prev = key;
    size_t value_at = c.at;
    uint32_t value_len = c.u32("value length of entry " + n);
    if (value_len > MAX_VALUE_LEN) {
      throw SnapshotFormatError(value_at, Rule::ValueTooLong,
                                "entry " + n + " value length " + std::to_string(value_len) +
                                    " exceeds the limit of 1048576 bytes");
    }
    Bytes value = c.bytes(value_at, value_len, "value of entry " + n);
    on_entry(std::move(key), std::move(value));
  }
  size_t crc_at = c.at;
  // Every byte before the CRC field has been taken: the CRC-32C of them, before the field.
  uint32_t computed = src.crc_before(crc_at);
  uint32_t stored = c.u32("CRC");
  if (c.at != len) {
    throw SnapshotFormatError(c.at, Rule::TrailingBytes,
                              std::to_string(len - c.at) + " bytes after the CRC");
  }
  if (stored != computed) {
    throw SnapshotFormatError(
        crc_at, Rule::CrcMismatch,
        "stored CRC-32C 0x" + hex32(stored) + ", computed 0x" + hex32(computed));
  }
  summary.crc = stored;
  return summary;
}
}  // namespace

SnapshotState load_state(const uint8_t* data, size_t len) {
  ArraySource src{data, len};
  SnapshotState s;
  // The entries grow with the entries read: nothing is sized from the input's count.
  SnapshotSummary summary = read_snapshot(
      src, [&](Bytes&& k, Bytes&& v) { s.entries.emplace_back(std::move(k), std::move(v)); });
  s.commit_index = summary.commit_index;
  return s;
}

SnapshotSummary validate_snapshot_stream(std::FILE* in, uint64_t size) {
  if (size > SIZE_MAX) throw SnapshotReadError();
  StreamSource src{in, static_cast<size_t>(size), {}};
  return read_snapshot(src, [](Bytes&&, Bytes&&) {});
}

}  // namespace db20::wire
