// The script language of SPEC §7 (Java: ScriptRunner), with docs/spec-notes.md N1–N11.
#ifndef DB20_SCRIPT_H
#define DB20_SCRIPT_H

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "db20/core.h"
#include "db20/workload.h"

namespace db20::script {

// A bad line: what() is "error line L: MESSAGE"; the program prints it and exits 2.
class ScriptError : public std::runtime_error {
 public:
  ScriptError(uint64_t line, const std::string& message)
      : std::runtime_error("error line " + std::to_string(line) + ": " + message), line_(line), message_(message) {}
  uint64_t line() const { return line_; }
  const std::string& message() const { return message_; }

 private:
  uint64_t line_;
  std::string message_;
};

// Writing or flushing the output failed (N14): the program prints
// "error: cannot write to standard output" and exits 2.
class OutputError : public std::runtime_error {
 public:
  OutputError() : std::runtime_error("cannot write to standard output") {}
};

// N12: a token as it may appear in an error line. Bytes 0x21–0x7e stand as themselves except
// `\` (written `\\`); every other byte is `\xNN`; past 64 bytes the rest is cut and
// `...(N bytes)` says the full length.
std::string escape_token(std::string_view token);

std::vector<std::string_view> tokenize(std::string_view line);  // spaces and tabs only
std::optional<uint64_t> parse_u64(std::string_view t);          // decimal or 0x hex

class ScriptRunner {
 public:
  explicit ScriptRunner(std::ostream& out) : out_(out) {}
  // Runs to the end or the first bad line (throws ScriptError); output is flushed either way.
  // Throws OutputError as soon as the output stream reports a failure (N14).
  void run(std::istream& in);
  const core::Cluster* cluster() const { return cluster_.get(); }

 private:
  void execute(const std::vector<std::string_view>& tokens);
  [[noreturn]] void fail(const std::string& message) const;
  void arity(const std::string& command, size_t got, size_t expected) const;
  uint64_t number(std::string_view t) const;
  core::Cluster& need_cluster(const std::string& command);
  int id(uint64_t raw) const;
  void print_propose(const core::ProposeResult& r);
  void flush();

  std::ostream& out_;
  workload::Workload workload_;
  std::unique_ptr<core::Cluster> cluster_;  // null until the first `cluster` line
  uint64_t line_no_ = 0;
};

}  // namespace db20::script

#endif
