#!/usr/bin/env bash
# Runs the shell examples in README.md and docs/**/*.md on the built tree and fails on any
# difference, so that every command the documentation shows is one that works as shown.
#
#   scripts/check-docs.sh              every document
#   scripts/check-docs.sh FILE.md ...  only these
#
# The convention (docs/execution.md, "Commands in the docs"):
#
# - A fence opened with ```console is checked. In it, a line starting with `$ ` is a command;
#   a line starting with `> ` right after a command (or after another such line) continues it
#   on a new line; every other line, up to the next `$ ` or the end of the fence, is the exact
#   expected output (standard output and standard error together, as a terminal shows them).
#   A command passes when it exits 0 and prints exactly those lines (trailing blank lines are
#   not compared). To show a command that fails, end it with `; echo "exit $?"`, so that the
#   status is part of the output that is compared.
# - A fence opened with ```sh or ```bash is an example and is not run, unless the line before
#   it (blank lines aside) is the HTML comment `<!-- check -->`: then the whole block runs as
#   one bash script with `set -eo pipefail` and passes when it exits 0 (its output is not
#   compared).
# - `<!-- requires: PATH -->` before a fence (next to `<!-- check -->` or alone) skips the
#   fence with a `skip` line when PATH (relative to the repository root) does not exist, e.g.
#   a port's binary that scripts/build-all.sh makes. Under CI (CI set) a skip is a failure.
# - Any other fence (```, ```text, ```mermaid, ...) is not run.
#
# Every command runs in its own `bash -o pipefail -c` from the repository root, with standard
# input from /dev/null, HOME and TMPDIR pointing at fresh directories (one pair per document,
# so a later command of a document can read what an earlier one wrote under $TMPDIR), and
# `db20` meaning `java -jar db20-cli/target/db20.jar` (an exported function). Each command has
# 300 seconds.
#
# It builds nothing. Without db20-cli/target/db20.jar it says how to build it and exits 2.
# Prints each FILE:LINE it checks, then `N passed, M failed`; exits 1 on any failure.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DB20_JAR="$ROOT/db20-cli/target/db20.jar"
if [ ! -f "$DB20_JAR" ]; then
  echo "check-docs: $DB20_JAR is missing; build it first:" >&2
  echo "  mvn -B -q -pl db20-cli -am package -DskipTests" >&2
  exit 2
fi
export DB20_JAR
db20() { java -jar "$DB20_JAR" "$@"; }
export -f db20

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  files=(README.md)
  while IFS= read -r f; do files+=("$f"); done < <(find docs -name '*.md' | LC_ALL=C sort)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
skipped=0

# check_command FILE LINE COMMAND EXPECTED
check_command() {
  local file="$1" line="$2" cmd="$3" expected="$4" actual rc
  actual="$(cd "$ROOT" && HOME="$doc_home" TMPDIR="$doc_tmp" \
    timeout 300 bash -o pipefail -c "$cmd" </dev/null 2>&1)"
  rc=$?
  # Compare without trailing newlines on either side.
  while [ "${expected%$'\n'}" != "$expected" ]; do expected="${expected%$'\n'}"; done
  if [ "$rc" = 0 ] && [ "$actual" == "$expected" ]; then
    echo "$file:$line: ok"
    passed=$((passed + 1))
  else
    echo "$file:$line: FAIL (exit $rc): \$ ${cmd//$'\n'/$'\n'> }"
    diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") | sed 's/^/    /' | head -n 40
    failed=$((failed + 1))
  fi
}

# check_block FILE LINE SCRIPT
check_block() {
  local file="$1" line="$2" script="$3" actual rc
  actual="$(cd "$ROOT" && HOME="$doc_home" TMPDIR="$doc_tmp" \
    timeout 300 bash -eo pipefail -c "$script" </dev/null 2>&1)"
  rc=$?
  if [ "$rc" = 0 ]; then
    echo "$file:$line: ok (block)"
    passed=$((passed + 1))
  else
    echo "$file:$line: FAIL (block, exit $rc)"
    printf '%s\n' "$actual" | tail -n 20 | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

skip_fence() {
  local file="$1" line="$2" path="$3"
  if [ -n "${CI:-}" ]; then
    echo "$file:$line: FAIL (requires $path, which is missing; CI checks every block)"
    failed=$((failed + 1))
  else
    echo "$file:$line: skip (requires $path; scripts/build-all.sh makes it)"
    skipped=$((skipped + 1))
  fi
}

for file in "${files[@]}"; do
  if [ ! -f "$file" ]; then
    echo "$file: FAIL (no such file)"
    failed=$((failed + 1))
    continue
  fi
  doc_home="$(mktemp -d "$work/home.XXXXXX")"
  doc_tmp="$(mktemp -d "$work/tmp.XXXXXX")"
  lineno=0
  in_fence=""      # "", console, block, ignore
  indent=""
  want_check=0     # <!-- check --> seen before the next fence
  requires=""      # <!-- requires: PATH --> seen before the next fence
  missing=""       # the current fence's missing requirement
  cmd="" cmd_line=0 expected="" in_cmd=0
  block="" block_line=0
  while IFS= read -r raw || [ -n "$raw" ]; do
    lineno=$((lineno + 1))
    if [ -z "$in_fence" ]; then
      if [[ "$raw" =~ ^([[:space:]]*)\`\`\`([A-Za-z0-9_-]*) ]]; then
        indent="${BASH_REMATCH[1]}"
        lang="${BASH_REMATCH[2]}"
        missing=""
        if [ -n "$requires" ] && [ ! -e "$ROOT/$requires" ]; then missing="$requires"; fi
        case "$lang" in
          console) in_fence=console ;;
          sh|bash) if [ "$want_check" = 1 ]; then in_fence=block; else in_fence=ignore; fi ;;
          *) in_fence=ignore ;;
        esac
        if [ "$in_fence" != ignore ] && [ -n "$missing" ]; then
          skip_fence "$file" "$lineno" "$missing"
          in_fence=ignore
        fi
        cmd="" expected="" in_cmd=0 block="" block_line=$lineno
        want_check=0 requires=""
      elif [[ "$raw" =~ ^[[:space:]]*\<!--[[:space:]]*check[[:space:]]*--\>[[:space:]]*$ ]]; then
        want_check=1
      elif [[ "$raw" =~ ^[[:space:]]*\<!--[[:space:]]*requires:[[:space:]]*([^[:space:]]+)[[:space:]]*--\>[[:space:]]*$ ]]; then
        requires="${BASH_REMATCH[1]}"
      elif [[ "$raw" =~ [^[:space:]] ]]; then
        want_check=0 requires=""
      fi
      continue
    fi
    # Inside a fence: strip the fence's indentation.
    line="${raw#"$indent"}"
    if [[ "$line" =~ ^[[:space:]]*\`\`\`[[:space:]]*$ ]]; then
      case "$in_fence" in
        console) [ -n "$cmd" ] && check_command "$file" "$cmd_line" "$cmd" "$expected" ;;
        block) check_block "$file" "$block_line" "$block" ;;
      esac
      in_fence=""
      continue
    fi
    case "$in_fence" in
      console)
        if [[ "$line" == '$ '* ]]; then
          [ -n "$cmd" ] && check_command "$file" "$cmd_line" "$cmd" "$expected"
          cmd="${line#'$ '}" cmd_line=$lineno expected="" in_cmd=1
        elif [ "$in_cmd" = 1 ] && [[ "$line" == '> '* ]]; then
          cmd+=$'\n'"${line#'> '}"
        elif [ -n "$cmd" ]; then
          in_cmd=0
          expected+="$line"$'\n'
        fi
        ;;
      block) block+="$line"$'\n' ;;
    esac
  done < "$file"
  if [ -n "$in_fence" ]; then
    echo "$file:$lineno: FAIL (a fence is not closed)"
    failed=$((failed + 1))
  fi
done

[ "$skipped" = 0 ] || echo "($skipped skipped: build the ports with scripts/build-all.sh to check them)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
