#!/usr/bin/env bash
# Runs every test suite of the project: Maven (Java, the conformance vectors included), cargo
# test, go test (+ gofmt, go vet), ctest in Debug, Release and under ASan+UBSan, then the
# conformance runner against every native binary. When CI is set, a missing toolchain fails;
# otherwise it prints a skip line.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

step() { printf '\n=== %s\n' "$*"; }

need java "the Java suite" && need mvn "the Java suite" && {
  step "Java: mvn verify"
  mvn -B -Dstyle.color=never verify
  # The reactor targets Java 17 bytecode and must also build and pass on the newest JDK here.
  jdk25="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1 || true)"
  if [ -n "$jdk25" ]; then
    step "Java: mvn verify on $(basename "$jdk25")"
    # --release 17 keeps the bytecode runnable on JDK 17 whichever JDK compiled it.
    JAVA_HOME="$jdk25" mvn -B -q -Dstyle.color=never verify
  fi
}

if [ -f ports/rust/Cargo.toml ] && need cargo "the Rust suite"; then
  step "Rust: cargo test"
  if command -v rustfmt >/dev/null; then (cd ports/rust && cargo fmt --check); fi
  (cd ports/rust && cargo test --release)
fi

if [ -f ports/go/go.mod ] && need go "the Go suite"; then
  step "Go: gofmt, go vet, go test"
  (cd ports/go && unformatted="$(gofmt -l .)" && [ -z "$unformatted" ] || { echo "gofmt: $unformatted"; exit 1; })
  (cd ports/go && go vet ./... && go test ./...)
fi

if [ -f ports/cpp/CMakeLists.txt ] && need cmake "the C++ suite" && need ctest "the C++ suite"; then
  for cfg in "Debug build-debug" "Release build-release" "Debug build-asan -DDB20_SANITIZE=ON"; do
    set -- $cfg
    step "C++: ctest ($1${3:+, sanitizers})"
    cmake -S ports/cpp -B "ports/cpp/$2" -DCMAKE_BUILD_TYPE="$1" ${3:-} >/dev/null
    cmake --build "ports/cpp/$2" -j2 >/dev/null
    ctest --test-dir "ports/cpp/$2" --output-on-failure
  done
fi

step "Conformance: every native binary against db20-conformance/vectors"
scripts/build-all.sh
for i in rust go cpp; do
  if [ -x "$BIN/db20-$i" ]; then
    java -jar "$JAR" conform --impl "$BIN/db20-$i" db20-conformance/vectors
  fi
done
step "verify: all suites passed"
