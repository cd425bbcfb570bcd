// The script language of SPEC §7 (Java: ScriptRunner), with docs/spec-notes.md N1–N17.
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
      : std::runtime_error("error line " + std::to_string(line) + ": " + message),
        line_(line),
        message_(message) {}
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

// escape_token of a token of `full` bytes of which `kept` (the whole token, or at least 64
// bytes) are at hand.
std::string escape_kept(std::string_view kept, uint64_t full);

// A command word or a number holds at most this many bytes; a longer one is unknown or
// invalid (spec-notes N17).
constexpr size_t kMaxWordLen = 64;

// Reads a script as lines of tokens, one token at a time and each within a bound (N17): only a
// token's first `keep` bytes are held, the rest is counted, and a token that passes its limit
// is refused as soon as it does (Java: TokenReader). Memory is one 64 KiB buffer plus the kept
// bytes, whatever the length of a line.
class TokenReader {
 public:
  static constexpr int64_t kEndOfLine = -1;  // the line has no more tokens; its end was read
  static constexpr int64_t kOverLimit = -2;  // the token passed its limit; the rest is unread
  static constexpr uint64_t kNoLimit = UINT64_MAX;

  explicit TokenReader(std::istream& in) : in_(in), buf_(1 << 16) {}
  // Starts the next line, skipping what is left of the current one; false at end of input.
  bool next_line();
  // Skips the rest of the current line, whatever its length, holding none of it.
  void skip_line();
  // Skips blanks, then reads one token, keeping its first `keep` bytes in `into` (cleared).
  // Returns its full length, kEndOfLine, or kOverLimit as soon as its limit+1-th byte is read.
  int64_t token(std::string& into, size_t keep, uint64_t limit);

 private:
  bool fill();  // false at end of input
  bool cr_ends_line();

  std::istream& in_;
  std::vector<char> buf_;
  size_t pos_ = 0;
  size_t lim_ = 0;
  bool line_ended_ = true;
};

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
  void execute(TokenReader& reader, const std::string& word, int64_t word_len);
  void read_args(TokenReader& reader, const std::string& command, size_t arity);
  [[noreturn]] void fail(const std::string& message) const;
  void arity(const std::string& command, uint64_t got, size_t expected) const;
  uint64_t number(std::string_view t, uint64_t full) const;
  core::Cluster& need_cluster(const std::string& command);
  int id(uint64_t raw) const;
  void print_propose(const core::ProposeResult& r);
  void flush();

  std::ostream& out_;
  workload::Workload workload_;
  std::unique_ptr<core::Cluster> cluster_;  // null until the first `cluster` line
  uint64_t line_no_ = 0;
  // The current line: its command word and the arguments its command uses (N17's bounds).
  std::string word_;
  std::string args_[2];
  uint64_t arg_len_[2] = {0, 0};
  uint64_t argc_ = 0;
  // `partition`'s ids, folded as they are read: the set and the first id out of range.
  bool partition_ids_[255] = {};
  std::optional<uint64_t> first_bad_id_;
};

}  // namespace db20::script

#endif
