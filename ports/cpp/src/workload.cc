#include "db20/workload.h"

#include <stdexcept>
#include <string>

namespace db20::workload {

Workload::Workload(uint64_t seed, uint64_t key_space) : generator_(seed), key_space_(1) {
  set_key_space(key_space);
}

void Workload::set_key_space(uint64_t key_space) {
  if (key_space == 0) throw std::invalid_argument("key space 0 out of range (must be >= 1)");
  key_space_ = key_space;
}

core::OpPtr Workload::next_op() {
  uint64_t r1 = generator_.next();
  uint64_t r2 = generator_.next();
  uint64_t r3 = generator_.next();
  return decode(r1, r2, r3, key_space_);
}

core::OpPtr Workload::decode(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t key_space) {
  std::string key = "k" + std::to_string(r2 % key_space);
  if (r1 >> 62 == 3) return core::Op::del(std::move(key));
  std::string value(8, '\0');
  wire::put_u64_le(reinterpret_cast<uint8_t*>(value.data()), r3 % VALUE_MODULUS);
  return core::Op::put(std::move(key), std::move(value));
}

}  // namespace db20::workload
