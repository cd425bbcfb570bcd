#!/usr/bin/env bash
# Applies every formatter of the project to the tracked sources, in place: google-java-format
# (Spotless: the root pom.xml, repeated in db20-wire's) on every Java module of the reactor, clang-format (the
# style in ports/cpp/.clang-format) on the C++ port, cargo fmt on the Rust port, gofmt on the Go
# port and the Go benchmark client. scripts/verify.sh checks the same formatters without changing a file. A missing
# formatter is an error: a partial format is worse than none.
#
#   scripts/format.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

for tool in mvn clang-format cargo rustfmt gofmt; do
  command -v "$tool" >/dev/null 2>&1 || { say "FAIL: $tool not found; scripts/format.sh applies every formatter"; exit 1; }
done

mvn -B -q -Dstyle.color=never spotless:apply
# Tracked files only: build trees (ports/cpp/build-*) are never touched.
git ls-files -z 'ports/cpp/*.cc' 'ports/cpp/*.h' | xargs -0 -r clang-format -i --style=file
(cd ports/rust && cargo fmt)
git ls-files -z 'ports/go/*.go' 'bench/ratis/*.go' | xargs -0 -r gofmt -w
say "formatted: Java (google-java-format), C++ (clang-format), Rust (cargo fmt), Go (gofmt)"
