#!/usr/bin/env bash
# Builds every implementation present and puts each program at build/bin/db20-<lang>, each taking
# `run FILE|-` (SPEC §7). A missing toolchain is a skip line, or a failure when CI is set.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$BIN"

need java "the Java implementation" && need mvn "the Java build" && {
  ensure_jar
  ensure_cds
  # The Java program as a user runs it: the jar with its start-up archive (lib.sh, run_java).
  cat > "$BIN/db20-java" <<EOS
#!/usr/bin/env bash
. "$ROOT/scripts/lib.sh"
run_java "\$@"
EOS
  chmod +x "$BIN/db20-java"
  say "built $BIN/db20-java"
}

if [ -f "$ROOT/ports/rust/Cargo.toml" ] && need cargo "the Rust port"; then
  cargo build --quiet --release --manifest-path "$ROOT/ports/rust/Cargo.toml"
  cp "$ROOT/ports/rust/target/release/db20" "$BIN/db20-rust"
  say "built $BIN/db20-rust"
fi

if [ -f "$ROOT/ports/go/go.mod" ] && need go "the Go port"; then
  (cd "$ROOT/ports/go" && go build -o "$BIN/db20-go" ./cmd/db20)
  say "built $BIN/db20-go"
fi

if [ -f "$ROOT/ports/cpp/CMakeLists.txt" ] && need cmake "the C++ port"; then
  cmake -S "$ROOT/ports/cpp" -B "$ROOT/ports/cpp/build-release" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$ROOT/ports/cpp/build-release" -j2 --target db20 >/dev/null
  cp "$ROOT/ports/cpp/build-release/db20" "$BIN/db20-cpp"
  say "built $BIN/db20-cpp"
fi
