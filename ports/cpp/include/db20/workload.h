// splitmix64 and the workload decoder of SPEC §6 (Java: db20-workload).
#ifndef DB20_WORKLOAD_H
#define DB20_WORKLOAD_H

#include <cstdint>

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

// Three draws per op, always (Java: Workload).
class Workload {
 public:
  Workload() : Workload(0, DEFAULT_KEY_SPACE) {}
  Workload(uint64_t seed, uint64_t key_space);
  void set_seed(uint64_t seed) { generator_ = SplitMix64(seed); }
  void set_key_space(uint64_t key_space);
  core::OpPtr next_op();
  static core::OpPtr decode(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t key_space);

 private:
  SplitMix64 generator_;
  // Invariant: key_space_ >= 1.
  uint64_t key_space_;
};

}  // namespace db20::workload

#endif
