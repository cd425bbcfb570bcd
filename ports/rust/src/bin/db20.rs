//! The db20 program: `db20 run FILE|-` (SPEC §7) and `db20 check FILE` (spec-notes N16).
//!
//! Exit status: 0 done; 1 `check` refused the snapshot; 2 a bad line, an unreadable file, a bad
//! command line, or standard output that cannot be written (N14).

use db20::script::{escape_token, os_reason, ScriptError, ScriptRunner, OUTPUT_FAILURE};
use db20::wire::validate_snapshot;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
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

/// The whole file, never allocating more than it holds: a regular file is read into a buffer of
/// its size (and one probe byte tells whether it grew meanwhile); anything else (a pipe) grows
/// with the bytes that actually arrive.
fn read_bounded(file: &OsString) -> io::Result<Vec<u8>> {
    let mut f = File::open(file)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        let mut buf = Vec::new();
        f.read_to_end(&mut buf)?;
        return Ok(buf);
    }
    let size = usize::try_from(meta.len())
        .map_err(|_| io::Error::other("file too large for this machine"))?;
    let mut buf = Vec::with_capacity(size);
    (&mut f).take(size as u64).read_to_end(&mut buf)?;
    let mut probe = [0u8; 1];
    if buf.len() == size && f.read(&mut probe)? != 0 {
        return Err(io::Error::other("the file grew while it was read"));
    }
    Ok(buf)
}

fn check(file: &OsString) -> ExitCode {
    let bytes = match read_bounded(file) {
        Ok(b) => b,
        Err(e) => return cannot_read(file, &e),
    };
    let (line, status) = match validate_snapshot(&bytes) {
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
