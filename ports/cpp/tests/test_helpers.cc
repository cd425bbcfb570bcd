#include "test_helpers.h"

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "db20/script.h"
#include "db20/wire.h"

namespace db20::test {

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

bool exists(const std::string& path) { return std::ifstream(path).good(); }

std::string vectors() { return DB20_VECTORS; }

std::string vector(const std::string& name) { return read_file(vectors() + "/" + name); }

std::string golden(const std::string& name) {
  std::string out = vector("scenario-" + name + ".out");
  while (!out.empty() && out.back() == '\n') out.pop_back();
  const std::string last =
      out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
  if (!std::regex_match(last, std::regex("digest [0-9a-f]{16}"))) {
    throw std::runtime_error("scenario-" + name + ".out does not end in a digest line: " + last);
  }
  return last.substr(7);
}

ScriptRun run_script(const std::string& script) {
  std::istringstream in(script);
  std::ostringstream out;
  ScriptRun r;
  try {
    script::ScriptRunner(out).run(in);
  } catch (const script::ScriptError& e) {
    r.error = e.what();
  }
  r.out = out.str();
  return r;
}

std::vector<uint8_t> snapshot(std::vector<std::pair<std::string, std::string>> entries,
                              uint64_t commit) {
  wire::SnapshotState s;
  s.commit_index = commit;
  s.entries = std::move(entries);
  return wire::encode_snapshot(s);
}

std::vector<uint8_t> fix_crc(std::vector<uint8_t> b) {
  wire::put_u32_le(b.data() + b.size() - 4, wire::crc32c(b.data(), b.size() - 4));
  return b;
}

}  // namespace db20::test
