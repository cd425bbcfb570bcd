// The db20 program as a process: N12 on stderr, N14 (/dev/full), N16 (`check FILE`), one test
// per rule of the strict reader as `check` prints it.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "db20/script.h"
#include "db20/wire.h"
#include "test_helpers.h"

using namespace db20::wire;

namespace {

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

using db20::test::fix_crc;
using db20::test::snapshot;
std::string slurp(const std::string& path) { return db20::test::read_file(path); }

// A scratch directory per test process, under the build directory's tmp.
const std::string& scratch() {
  static const std::string dir = [] {
    std::string templ = std::string(DB20_SCRATCH) + "/cli-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) == nullptr) std::abort();
    return std::string(buf.data());
  }();
  return dir;
}

std::string write_file(const std::string& name, const std::string& bytes) {
  std::string path = scratch() + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string write_file(const std::string& name, const std::vector<uint8_t>& bytes) {
  return write_file(name, std::string(bytes.begin(), bytes.end()));
}

// Runs `db20 ARGS` with stdout sent to `stdout_to` (a file in scratch by default).
Result run_db20(const std::string& args, const std::string& stdout_to = "") {
  const std::string out = scratch() + "/stdout", err = scratch() + "/stderr";
  std::string cmd = std::string(DB20_BIN) + " " + args + " >" +
                    (stdout_to.empty() ? out : stdout_to) + " 2>" + err;
  int raw = std::system(cmd.c_str());
  Result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = stdout_to.empty() ? slurp(out) : "";
  r.err = slurp(err);
  return r;
}

void expect_check(const std::string& name, const std::vector<uint8_t>& bytes,
                  const std::string& line, int status) {
  Result r = run_db20("check " + write_file(name, bytes));
  EXPECT_EQ(r.out, line + "\n") << name;
  EXPECT_EQ(r.status, status) << name;
  EXPECT_EQ(r.err, "") << name;
}

}  // namespace

TEST(Cli, RunPrintsTheScriptOutput) {
  Result r = run_db20("run " + write_file("ok.txt", "cluster 1\nput a v\ndigest\n"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.substr(0, 12), "committed 1\n");
  EXPECT_EQ(r.err, "");
}

TEST(Cli, NulByteInACommandIsEscapedWhole) {
  Result r = run_db20("run " + write_file("nul.txt", std::string("cluster 1\n\0\n", 12)));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "error line 2: unknown command '\\x00'\n");
}

TEST(Cli, LongTokenYieldsOneShortLine) {
  Result r = run_db20("run " +
                      write_file("long.txt", "cluster 1\n" + std::string(1 << 20, '\x1b') + "\n"));
  EXPECT_EQ(r.status, 2);
  std::string want = "error line 2: unknown command '";
  for (int i = 0; i < 64; i++) want += "\\x1b";
  want += "...(1048576 bytes)'\n";
  EXPECT_EQ(r.err, want);
}

TEST(Cli, StdoutFullIsAnErrorExit2) {
  Result r = run_db20("run " + write_file("full.txt", "cluster 1\nput a v\ndigest\n"), "/dev/full");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "error: cannot write to standard output\n");
  r = run_db20("check " + write_file("full.snap", snapshot({}, 0)), "/dev/full");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "error: cannot write to standard output\n");
}

TEST(Cli, StdoutFullBeforeAScriptErrorStillReportsTheOutputFailure) {
  // A script error flushes earlier output first; the failed flush wins (exit 2 either way).
  Result r = run_db20("run " + write_file("full-err.txt", "cluster 1\nnoop\nbogus\n"), "/dev/full");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "error: cannot write to standard output\n");
}

TEST(Cli, RunOfAMissingFileOrADirectoryIsExit2) {
  Result r = run_db20("run /nonexistent-db20-dir/x.txt");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "error: cannot read /nonexistent-db20-dir/x.txt: No such file or directory\n");
  r = run_db20("run " + scratch());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "error: cannot read " + db20::script::escape_token(scratch()) + ": Is a directory\n");
}

TEST(Cli, UsageIsExit2) {
  EXPECT_EQ(run_db20("").status, 2);
  EXPECT_EQ(run_db20("check").status, 2);
  EXPECT_EQ(run_db20("frob x").status, 2);
}

TEST(Check, EmptySnapshot) {
  expect_check("empty.snap", snapshot({}, 0), "ok commit=0 entries=0 crc=f89a2371", 0);
}

TEST(Check, SnapshotWithEntries) {
  // SPEC §4's second vector stores the CRC bytes fd cf 62 bd: the u32 value 0xbd62cffd.
  expect_check("av.snap", snapshot({{"a", "v"}}, 1), "ok commit=1 entries=1 crc=bd62cffd", 0);
  auto b = snapshot({{"a", "1"}, {"b", ""}, {"c", "3"}}, 99);
  char crc[9];
  std::snprintf(crc, sizeof crc, "%08x", static_cast<unsigned>(crc32c(b.data(), b.size() - 4)));
  expect_check("three.snap", b, std::string("ok commit=99 entries=3 crc=") + crc, 0);
}

TEST(Check, BadMagic) {
  auto b = snapshot({});
  b[0] = 'X';
  expect_check("magic.snap", fix_crc(b), "refused offset 0: bad magic", 1);
}

TEST(Check, UnknownVersion) {
  auto b = snapshot({});
  b[4] = 2;
  expect_check("version.snap", fix_crc(b), "refused offset 4: unknown version", 1);
}

TEST(Check, NonzeroFlags) {
  auto b = snapshot({});
  b[7] = 0x80;
  expect_check("flags.snap", fix_crc(b), "refused offset 6: nonzero flags", 1);
}

TEST(Check, Truncated) {
  auto b = snapshot({{"a", "v"}});
  expect_check("trunc.snap", std::vector<uint8_t>(b.begin(), b.begin() + 12),
               "refused offset 8: truncated", 1);
  expect_check("zero.snap", {}, "refused offset 0: truncated", 1);
}

TEST(Check, LengthPastEnd) {
  auto b = snapshot({{"a", "v"}});
  put_u32_le(b.data() + 20, 60000);
  expect_check("past.snap", fix_crc(b), "refused offset 20: length past end", 1);
}

TEST(Check, EmptyKey) {
  auto b = snapshot({{"a", "v"}});
  put_u32_le(b.data() + 20, 0);
  expect_check("emptykey.snap", fix_crc(b), "refused offset 20: empty key", 1);
}

TEST(Check, KeyTooLong) {
  auto b = snapshot({{"a", "v"}});
  put_u32_le(b.data() + 20, 65536);
  expect_check("longkey.snap", fix_crc(b), "refused offset 20: key too long", 1);
}

TEST(Check, ValueTooLong) {
  auto b = snapshot({{"a", "v"}});
  put_u32_le(b.data() + 25, 1048577);
  expect_check("longvalue.snap", fix_crc(b), "refused offset 25: value too long", 1);
}

TEST(Check, KeysOutOfOrder) {
  auto b = snapshot({{"a", "1"}, {"b", "2"}});
  b[24] = 'c';
  expect_check("order.snap", fix_crc(b), "refused offset 30: keys out of order", 1);
}

TEST(Check, DuplicateKey) {
  auto b = snapshot({{"a", "1"}, {"b", "2"}});
  b[34] = 'a';
  expect_check("dup.snap", fix_crc(b), "refused offset 30: duplicate key", 1);
}

TEST(Check, TrailingBytes) {
  auto b = snapshot({{"a", "v"}});
  b.push_back(0);
  expect_check("trailing.snap", b, "refused offset 34: trailing bytes", 1);
}

TEST(Check, CrcMismatch) {
  auto b = snapshot({{"a", "v"}}, 1);
  b[29] ^= 1;
  expect_check("crc.snap", b, "refused offset 30: crc mismatch", 1);
}

TEST(Check, MissingFileIsExit2) {
  Result r = run_db20("check /nonexistent-db20-dir/x.snap");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: cannot read /nonexistent-db20-dir/x.snap: no such file\n");
  // FILE is escaped and cut as in N12.
  const std::string path = scratch() + "/no-such-file-\x01";
  r = run_db20("check '" + path + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "error: cannot read " + db20::script::escape_token(path) + ": no such file\n");
}

TEST(Check, DirectoryIsExit2) {
  Result r = run_db20("check " + scratch());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "error: cannot read " + db20::script::escape_token(scratch()) + ": is a directory\n");
}
