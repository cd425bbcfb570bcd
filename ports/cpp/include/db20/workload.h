// splitmix64 and the workload decoder of SPEC §6 (Java: db20-workload).
#ifndef DB20_WORKLOAD_H
#define DB20_WORKLOAD_H

#include <cstdint>
#include <string>
#include <vector>

#include "db20/core.h"

namespace db20::workload {

inline constexpr uint64_t GAMMA = 0x9e3779b97f4a7c15ULL;

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t next() {
    state_ += GAMMA;  // uint64_t wraps modulo 2^64
    return mix(state_);
  }
  uint64_t state() const { return state_; }

 private:
  uint64_t state_;
};

inline constexpr uint64_t DEFAULT_KEY_SPACE = 16;
inline constexpr uint64_t VALUE_MODULUS = 10000;

// Three draws per op, always (Java: Workload). The hot path allocates nothing: keys come from
// a cache (formatted once into a reused buffer), values from a cache of the 10,000 possible
// ones, and the Op holds them in std::string's inline buffer.
class Workload {
 public:
  // At most this many keys (k0 … k1048575) are cached; beyond that a key is formatted per op.
  static constexpr uint64_t MAX_CACHED_KEYS = uint64_t{1} << 20;

  Workload() : Workload(0, DEFAULT_KEY_SPACE) {}
  Workload(uint64_t seed, uint64_t key_space);
  void set_seed(uint64_t seed) { generator_ = SplitMix64(seed); }
  void set_key_space(uint64_t key_space);
  core::Op next_op();
  // The pure decoder of SPEC §6 (no cache), for tests and for anyone who holds three draws.
  static core::Op decode(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t key_space);
  size_t cached_keys() const { return keys_.size(); }

 private:
  core::Op put_or_del(bool del, uint64_t n, uint64_t v);
  const std::string& value(uint64_t v);

  SplitMix64 generator_;
  // Invariant: key_space_ >= 1.
  uint64_t key_space_;
  // keys_[n] holds the bytes of "k<n>" once formatted (at most 8: `k` and 7 digits), padded
  // with NULs; 0 before (a key is never empty). Packed, not std::string: 8 bytes a key rather
  // than 32, and an Op's std::string is made from it without touching the heap. The size is
  // at most min(key space ever set, MAX_CACHED_KEYS): the cache is bounded by the key space.
  std::vector<uint64_t> keys_;
  // values_[v] is the 8-byte little-endian v once made, empty before.
  std::vector<std::string> values_;
  std::string buffer_;  // the reused formatting buffer for keys
};

}  // namespace db20::workload

#endif
