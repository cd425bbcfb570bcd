// The db20 program: `db20 run FILE|-` (SPEC §7) and `db20 check FILE` (docs/spec-notes.md N16).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
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

// Reads a whole file. Never allocates more than the file holds: a regular file is read into a
// buffer of its stat size (and must then be at its end); anything else (a pipe) grows with
// the bytes actually read. Returns false with errno set on failure.
bool read_whole_file(const std::string& path, std::vector<uint8_t>& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return false;
  }
  const bool sized = S_ISREG(st.st_mode);
  out.assign(sized ? static_cast<size_t>(st.st_size) : 0, 0);
  size_t have = 0;
  for (;;) {
    if (have == out.size()) {
      if (sized) {
        // The file should end here; one more byte means it grew while we read it.
        uint8_t probe;
        ssize_t n = ::read(fd, &probe, 1);
        if (n == 0) break;
        if (n < 0 && errno == EINTR) continue;
        int saved = n < 0 ? errno : EAGAIN;
        ::close(fd);
        errno = saved;
        return false;
      }
      out.resize(out.empty() ? 4096 : out.size() * 2);
    }
    ssize_t n = ::read(fd, out.data() + have, out.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      ::close(fd);
      errno = saved;
      return false;
    }
    if (n == 0) break;  // shorter than its stat size (truncated meanwhile) or end of a pipe
    have += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(have);
  return true;
}

int check(const std::string& path) {
  std::vector<uint8_t> bytes;
  if (!read_whole_file(path, bytes)) {
    std::cerr << "error: cannot read " << db20::script::escape_token(path) << ": " << std::strerror(errno) << '\n';
    return kExitError;
  }
  int status;
  try {
    db20::wire::SnapshotState s = db20::wire::load_state(bytes.data(), bytes.size());
    // Accepted, so the buffer ends in the stored CRC.
    uint32_t crc = db20::wire::get_u32_le(bytes.data() + bytes.size() - db20::wire::snapshot_format::SIZE_CRC);
    std::string crc_hex = db20::wire::hex(std::vector<uint8_t>{static_cast<uint8_t>(crc >> 24), static_cast<uint8_t>(crc >> 16),
                                                               static_cast<uint8_t>(crc >> 8), static_cast<uint8_t>(crc)});
    std::cout << "ok commit=" << s.commit_index << " entries=" << s.entries.size() << " crc=" << crc_hex << '\n';
    status = kExitOk;
  } catch (const db20::wire::SnapshotFormatError& e) {
    std::cout << "refused offset " << e.offset() << ": " << db20::wire::rule_text(e.rule()) << '\n';
    status = kExitRefused;
  }
  if (!flush_stdout()) return output_failed();
  return status;
}

int run(const std::string& path) {
  std::ifstream file;
  if (path != "-") {
    // A directory opens as a stream that just reads nothing: refuse it like `check` does.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) errno = EISDIR;
    else file.open(path, std::ios::binary);
    if (!file.is_open()) {
      std::cerr << "error: cannot read " << db20::script::escape_token(path) << ": " << std::strerror(errno) << '\n';
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
