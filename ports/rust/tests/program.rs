//! The db20 program's process-level contracts: N14 (standard output that cannot be written),
//! N15 (output flushed before `ops`, so a killed long run leaves it), and unreadable scripts.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

const N14: &str = "error: cannot write to standard output\n";

mod common;

use common::db20;

fn run_stdin(script: &[u8], stdout: Stdio) -> std::process::Output {
    let mut child = db20()
        .args(["run", "-"])
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(script).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn stdout_to_dev_full_is_the_n14_line_and_exit_2() {
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = run_stdin(b"cluster 1\nnoop\ndigest\n", Stdio::from(full));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), N14);
}

#[test]
fn a_failing_stdout_outranks_a_bad_line() {
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = run_stdin(b"cluster 1\nnoop\nfrobnicate\n", Stdio::from(full));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), N14);
}

#[test]
fn a_closed_pipe_is_the_n14_line_and_exit_2() {
    // More output than a pipe buffer holds, so a write meets the closed reader (EPIPE: Rust
    // ignores SIGPIPE).
    let mut script = b"cluster 1\nput k v\n".to_vec();
    for _ in 0..20_000 {
        script.extend_from_slice(b"snapshot 0\n");
    }
    let mut child = db20()
        .args(["run", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(&script);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), N14);
}

#[test]
fn a_killed_long_ops_leaves_the_earlier_lines_on_stdout() {
    let mut child = db20()
        .args(["run", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"cluster 3\nput a b\nleader\nops 18446744073709551615\n")
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().map(|l| l.unwrap());
        let second = lines.next().map(|l| l.unwrap());
        let _ = tx.send((first, second));
    });
    // Without the flush before `ops` the lines would sit in the buffer until the kill.
    let got = rx.recv_timeout(Duration::from_secs(20));
    child.kill().unwrap();
    child.wait().unwrap();
    let (first, second) = got.expect("the lines before `ops` were not flushed");
    assert_eq!(first.as_deref(), Some("committed 1"));
    assert_eq!(second.as_deref(), Some("leader 0 view=0"));
}

#[test]
fn a_missing_script_is_exit_2_with_the_reason() {
    let out = db20()
        .args(["run", "/nonexistent/db20-script"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot read /nonexistent/db20-script: No such file or directory\n"
    );
}

#[test]
fn an_error_line_never_carries_raw_control_bytes() {
    let out = run_stdin(b"cluster 1\n\x00\x1b]0;t\x07\n", Stdio::piped());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error line 2: unknown command '\\x00\\x1b]0;t\\x07'\n"
    );
}
