// The test helpers of this port in one place (test_helpers.cc): the conformance vectors and the
// golden digests read from them, running a script in process, and building snapshots.
#ifndef DB20_TEST_HELPERS_H
#define DB20_TEST_HELPERS_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace db20::test {

// The whole file at path ("" if it cannot be read).
std::string read_file(const std::string& path);
bool exists(const std::string& path);

// db20-conformance/vectors, the released suite, and the bytes of vectors/NAME.
std::string vectors();
std::string vector(const std::string& name);

// The golden digest of SPEC §7's scenario name ("a" or "b"), read from where it is written: the
// last line of vectors/scenario-NAME.out, which must be `digest` and 16 hex digits (Java:
// GoldenDigestsTest.golden). Throws std::runtime_error naming the file otherwise.
std::string golden(const std::string& name);

// What an in-process run of script printed, and its error line ("" when it ran to the end).
struct ScriptRun {
  std::string out;
  std::string error;
};
ScriptRun run_script(const std::string& script);

// The canonical snapshot of entries (in the order given) at commit.
std::vector<uint8_t> snapshot(std::vector<std::pair<std::string, std::string>> entries,
                              uint64_t commit = 7);

// b with its last four bytes set to the CRC-32C of the rest, so that a test can break one rule
// without also breaking the checksum.
std::vector<uint8_t> fix_crc(std::vector<uint8_t> b);

}  // namespace db20::test

#endif
