// The db20 program: `db20 run FILE|-` (SPEC §7) and `db20 check FILE` (docs/spec-notes.md N16).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "db20/script.h"
#include "db20/wire.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;
constexpr int kExitError = 2;

// N14: the one line for an output failure, whatever the cause.
int output_failed() {
  std::cerr << "error: cannot write to standard output\n";
  std::cerr.flush();
  return kExitError;
}

// Flushes standard output; false when a write or the flush failed (the stream state is sticky,
// so this also reports a failure of any earlier buffered write).
bool flush_stdout() {
  std::cout.flush();
  return static_cast<bool>(std::cout);
}

// N18's reason for a file that cannot be read: one of five fixed texts.
const char* read_reason(int err) {
  switch (err) {
    case ENOENT:
      return "no such file";
    case EACCES:
      return "permission denied";
    default:
      return "read error";
  }
}

int cannot_check(const std::string& path, const char* reason) {
  std::cerr << "error: cannot read " << db20::script::escape_token(path) << ": " << reason << '\n';
  return kExitError;
}

// The strict reader's verdict on a regular file, read as a stream in bounded memory (N18).
// Anything else is refused from its attributes before it is opened: a FIFO is never opened
// (and the file is opened non-blocking in case it was swapped for one), a device such as
// /dev/zero never read.
int check(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return cannot_check(path, read_reason(errno));
  if (S_ISDIR(st.st_mode)) return cannot_check(path, "is a directory");
  if (!S_ISREG(st.st_mode)) return cannot_check(path, "not a regular file");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return cannot_check(path, read_reason(errno));
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return cannot_check(path, "not a regular file");
  }
  std::FILE* f = ::fdopen(fd, "rb");
  if (!f) {
    ::close(fd);
    return cannot_check(path, "read error");
  }
  int status;
  try {
    db20::wire::SnapshotSummary s =
        db20::wire::validate_snapshot_stream(f, static_cast<uint64_t>(st.st_size));
    char crc_hex[9];
    std::snprintf(crc_hex, sizeof crc_hex, "%08x", s.crc);
    std::cout << "ok commit=" << s.commit_index << " entries=" << s.entry_count
              << " crc=" << crc_hex << '\n';
    status = kExitOk;
  } catch (const db20::wire::SnapshotFormatError& e) {
    std::cout << "refused offset " << e.offset() << ": " << db20::wire::rule_text(e.rule()) << '\n';
    status = kExitRefused;
  } catch (const db20::wire::SnapshotReadError&) {
    std::fclose(f);
    return cannot_check(path, "read error");
  }
  std::fclose(f);
  if (!flush_stdout()) return output_failed();
  return status;
}

int run(const std::string& path) {
  std::ifstream file;
  if (path != "-") {
    // A directory opens as a stream that just reads nothing: refuse it like `check` does.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      errno = EISDIR;
    else
      file.open(path, std::ios::binary);
    if (!file.is_open()) {
      std::cerr << "error: cannot read " << db20::script::escape_token(path) << ": "
                << std::strerror(errno) << '\n';
      return kExitError;
    }
  }
  std::istream& in = path == "-" ? std::cin : file;
  db20::script::ScriptRunner runner(std::cout);
  try {
    runner.run(in);
  } catch (const db20::script::OutputError&) {
    return output_failed();
  } catch (const db20::script::ScriptError& e) {
    // run() flushed what earlier lines printed before throwing (and would have thrown
    // OutputError instead had that failed).
    std::cerr << e.what() << '\n';
    return kExitError;
  }
  if (!flush_stdout()) return output_failed();
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // SPEC §7.6: a closed standard output is a write error (EPIPE) to report, not a SIGPIPE death.
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  const std::string command = argc == 3 ? argv[1] : "";
  int status;
  try {
    if (command == "run") {
      status = run(argv[2]);
    } else if (command == "check") {
      status = check(argv[2]);
    } else {
      std::cerr << "usage: db20 run FILE|-\n       db20 check FILE\n";
      status = kExitError;
    }
  } catch (const std::exception& e) {
    // Out of memory, or a broken invariant (a bug): one line and exit 2, never an abort.
    std::cout.flush();
    std::cerr << "error: " << e.what() << '\n';  // our own texts: no input bytes
    return kExitError;
  }
  // Whatever path we took, a write that failed must not end in exit 0 (N14).
  if (!flush_stdout() && status != kExitError) return output_failed();
  return status;
}
