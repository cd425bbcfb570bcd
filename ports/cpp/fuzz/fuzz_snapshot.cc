// libFuzzer entry point (DB20_FUZZ=ON): the property is db20::fuzz::snapshot_one.
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  db20::fuzz::snapshot_one(data, size);
  return 0;
}
