#include "db20/workload.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace db20::workload {

namespace {
// "k" then the decimal digits of n, written into `out` (whose capacity is reused).
void format_key(uint64_t n, std::string& out) {
  char digits[20];
  size_t len = 0;
  do {
    digits[len++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  out.assign(1, 'k');
  while (len > 0) out.push_back(digits[--len]);
}

std::string value_bytes(uint64_t v) {
  std::string value(8, '\0');
  wire::put_u64_le(reinterpret_cast<uint8_t*>(value.data()), v);
  return value;
}
}  // namespace

Workload::Workload(uint64_t seed, uint64_t key_space) : generator_(seed), key_space_(1) {
  set_key_space(key_space);
}

void Workload::set_key_space(uint64_t key_space) {
  if (key_space == 0) throw std::invalid_argument("key space 0 out of range (must be >= 1)");
  key_space_ = key_space;
}

core::Op Workload::put_or_del(bool del, uint64_t n, uint64_t v) {
  if (n >= MAX_CACHED_KEYS) {
    format_key(n, buffer_);
    return del ? core::Op::del(buffer_) : core::Op::put(buffer_, value(v));
  }
  if (n >= keys_.size()) {
    // Grow geometrically, never past the key space: a small key space keeps a small cache.
    uint64_t limit = key_space_ < MAX_CACHED_KEYS ? key_space_ : MAX_CACHED_KEYS;
    uint64_t want = keys_.size() * 2 > n + 1 ? keys_.size() * 2 : n + 1;
    keys_.resize(static_cast<size_t>(want < limit ? want : limit));
  }
  uint64_t& packed = keys_[static_cast<size_t>(n)];
  if (packed == 0) {
    format_key(n, buffer_);
    std::memcpy(&packed, buffer_.data(), buffer_.size());  // at most 8 bytes below 2^20
  }
  char bytes[sizeof packed];
  std::memcpy(bytes, &packed, sizeof packed);
  size_t len = 1;
  while (len < sizeof bytes && bytes[len] != '\0') len++;
  std::string key(bytes, len);  // inline (SSO): no allocation
  return del ? core::Op::del(std::move(key)) : core::Op::put(std::move(key), value(v));
}

const std::string& Workload::value(uint64_t v) {
  if (values_.empty()) values_.resize(VALUE_MODULUS);
  std::string& s = values_[static_cast<size_t>(v)];
  if (s.empty()) s = value_bytes(v);
  return s;
}

core::Op Workload::next_op() {
  uint64_t r1 = generator_.next();
  uint64_t r2 = generator_.next();
  uint64_t r3 = generator_.next();
  return put_or_del(r1 >> 62 == 3, r2 % key_space_, r3 % VALUE_MODULUS);
}

core::Op Workload::decode(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t key_space) {
  std::string key;
  format_key(r2 % key_space, key);
  if (r1 >> 62 == 3) return core::Op::del(std::move(key));
  return core::Op::put(std::move(key), value_bytes(r3 % VALUE_MODULUS));
}

}  // namespace db20::workload
