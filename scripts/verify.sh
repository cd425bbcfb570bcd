#!/usr/bin/env bash
# Runs every test suite of the project: Maven (Java: the conformance vectors through the TCK, the
# Ratis deployment's in-process and crash tests, Jazzer in regression mode), cargo test, go test
# (+ gofmt, go vet, fuzz seeds), ctest in Debug, Release and under ASan+UBSan, then the
# conformance runner and the snapshot corpus against every native binary, random scripts across
# all four implementations, the wire module used alone, the TCK sample, and the commands shown in
# the docs. When CI is set, a missing toolchain fails; otherwise it prints a skip line.
#
#   scripts/verify.sh            everything
#   RANDOM_SCRIPTS=N scripts/verify.sh   N random cross-implementation scripts (default 300)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

started=$SECONDS
step() { printf '\n=== %s (at %ds)\n' "$*" "$((SECONDS - started))"; }

need java "the Java suite" && need mvn "the Java suite" && {
  step "Java: mvn verify"
  mvn -B -Dstyle.color=never verify
  # The reactor targets Java 17 bytecode and must also build and pass on the newest JDK here.
  # The model's modules are enough to prove that; the Ratis and CLI process tests ran above.
  jdk25="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1 || true)"
  if [ -n "$jdk25" ]; then
    step "Java: mvn verify on $(basename "$jdk25") (wire, api, core, workload, script, conformance, tck)"
    # --release 17 keeps the bytecode runnable on JDK 17 whichever JDK compiled it, so the jar the
    # steps below run stays valid.
    JAVA_HOME="$jdk25" mvn -B -q -Dstyle.color=never -pl db20-wire,db20-api,db20-core,db20-workload,db20-script,db20-conformance,db20-tck -am verify
  fi
}

if [ -f ports/rust/Cargo.toml ] && need cargo "the Rust suite"; then
  step "Rust: cargo fmt, clippy, test, fuzz loop smoke"
  if command -v rustfmt >/dev/null; then (cd ports/rust && cargo fmt --check); fi
  if cargo clippy --version >/dev/null 2>&1; then
    (cd ports/rust && cargo clippy --quiet --release --all-targets -- -D warnings)
  fi
  (cd ports/rust && cargo test --release)
  if [ -f ports/rust/examples/fuzz.rs ]; then
    for t in snapshot oprecord script; do
      (cd ports/rust && cargo run --quiet --release --example fuzz -- --target "$t" --iterations 20000 --seed 1)
    done
  fi
fi

if [ -f ports/go/go.mod ] && need go "the Go suite"; then
  step "Go: gofmt, go vet, go test (fuzz targets over their seeds)"
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

step "Conformance: every native binary against the vectors, JUnit XML in build/"
scripts/build-all.sh
for i in rust go cpp; do
  if [ -x "$BIN/db20-$i" ]; then
    java -jar "$JAR" conform --impl "$BIN/db20-$i" --junit-xml "$ROOT/build/conform-$i.xml"
  fi
done

step "Conformance from any directory: the jar's own vectors"
for i in rust go cpp; do
  if [ -x "$BIN/db20-$i" ]; then
    (cd "$(mktemp -d)" && java -jar "$JAR" conform --impl "$BIN/db20-$i" --junit-xml r.xml >/dev/null && echo "$i: jar vectors pass, r.xml written")
  fi
done

if [ -x scripts/check-corpus.sh ]; then
  step "Snapshot corpus: check FILE in every implementation"
  scripts/check-corpus.sh
fi

step "Cross-implementation: every vector side by side, then ${RANDOM_SCRIPTS:-300} random scripts"
scripts/cross_test.sh >/dev/null
echo "cross_test: every implementation agrees on every vector"
if grep -q -- '--random' scripts/cross_test.sh; then
  scripts/cross_test.sh --random "${RANDOM_SCRIPTS:-300}" --seed 20261125
fi

if [ -x scripts/wire-consumer.sh ]; then
  step "db20-wire alone: installed by coordinates into an outside project, streaming"
  scripts/wire-consumer.sh
fi

if [ -x scripts/tck-sample.sh ] && [ -x "$BIN/db20-rust" ]; then
  step "TCK sample: examples/tck-sample (db20-tck by coordinates) against the Rust port"
  scripts/tck-sample.sh "$BIN/db20-rust"
fi

if [ -x scripts/check-docs.sh ]; then
  step "Docs: every command shown in README.md and docs/ runs as shown"
  scripts/check-docs.sh
fi

step "verify: all suites passed in $((SECONDS - started)) s"
