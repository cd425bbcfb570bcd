//! The db20 program: `db20 run FILE|-` (SPEC §7) and `db20 check FILE` (spec-notes N16).
//!
//! Exit status: 0 done; 1 `check` refused the snapshot; 2 a bad line, an unreadable file, a bad
//! command line, or standard output that cannot be written (N14).

use db20::script::{escape_token, os_reason, ScriptError, ScriptRunner, OUTPUT_FAILURE};
use db20::wire::{validate_snapshot_stream, SnapshotFormatError, SnapshotSummary};
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::process::ExitCode;

const USAGE: &str = "usage: db20 run FILE|-\n       db20 check FILE";

/// One line on standard error. `eprintln!` would panic if standard error itself fails; then
/// there is nowhere left to report, and the exit status still says what happened.
fn error_line(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.write_all(b"\n");
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match args.as_slice() {
        [cmd, file] if cmd == "run" => run(file),
        [cmd, file] if cmd == "check" => check(file),
        _ => {
            error_line(USAGE);
            ExitCode::from(2)
        }
    }
}

/// `error: cannot read FILE: REASON`, FILE escaped as N12 escapes a token.
fn cannot_read(file: &OsString, e: &io::Error) -> ExitCode {
    error_line(&format!(
        "error: cannot read {}: {}",
        escape_token(file.as_bytes()),
        os_reason(e)
    ));
    ExitCode::from(2)
}

fn output_failure() -> ExitCode {
    error_line(OUTPUT_FAILURE);
    ExitCode::from(2)
}

fn run(file: &OsString) -> ExitCode {
    let stdout = io::stdout();
    let mut runner = ScriptRunner::new(BufWriter::with_capacity(1 << 16, stdout.lock()));
    let result = if file == "-" {
        runner.run(io::stdin().lock())
    } else {
        match File::open(file) {
            Ok(f) => runner.run(BufReader::with_capacity(1 << 16, f)),
            Err(e) => return cannot_read(file, &e),
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(ScriptError::Input(e)) => cannot_read(file, &e),
        Err(ScriptError::Output(_)) => output_failure(),
        Err(e @ ScriptError::Line { .. }) => {
            error_line(&e.to_string());
            ExitCode::from(2)
        }
    }
}

/// N18's reason for a file that cannot be read: one of five fixed texts.
fn read_reason(e: &io::Error) -> &'static str {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file",
        io::ErrorKind::PermissionDenied => "permission denied",
        _ => "read error",
    }
}

/// `error: cannot read FILE: REASON` with one of N18's reasons.
fn cannot_check(file: &OsString, reason: &str) -> ExitCode {
    error_line(&format!(
        "error: cannot read {}: {}",
        escape_token(file.as_bytes()),
        reason
    ));
    ExitCode::from(2)
}

/// The strict reader's verdict on a regular file, read as a stream in bounded memory (N18).
/// Anything else is refused from its attributes before it is opened: a FIFO is never opened
/// (that would block), a device such as `/dev/zero` never read.
fn check_file(file: &OsString) -> Result<Result<SnapshotSummary, SnapshotFormatError>, String> {
    let meta = std::fs::metadata(file).map_err(|e| read_reason(&e).to_string())?;
    if meta.is_dir() {
        return Err("is a directory".to_string());
    }
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    let f = File::open(file).map_err(|e| read_reason(&e).to_string())?;
    let size = f.metadata().map_err(|e| read_reason(&e).to_string())?.len();
    validate_snapshot_stream(BufReader::with_capacity(1 << 16, f), size)
        .map_err(|e| read_reason(&e).to_string())
}

fn check(file: &OsString) -> ExitCode {
    let verdict = match check_file(file) {
        Ok(v) => v,
        Err(reason) => return cannot_check(file, &reason),
    };
    let (line, status) = match verdict {
        Ok(s) => (
            format!(
                "ok commit={} entries={} crc={:08x}\n",
                s.commit_index, s.entry_count, s.crc
            ),
            0,
        ),
        Err(e) => (
            format!("refused offset {}: {}\n", e.offset, e.rule.text()),
            1,
        ),
    };
    let mut out = io::stdout().lock();
    if out
        .write_all(line.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return output_failure();
    }
    ExitCode::from(status)
}
