//! `db20 check FILE` (spec-notes N16) through the program: one test per refusal rule (the exact
//! line and exit status 1), the accepted snapshots (exit 0), and the files that cannot be read.

mod common;

use common::{db20, fix_crc, snapshot};
use db20::wire::le::put_u32_le;
use std::path::PathBuf;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn temp_file(bytes: &[u8]) -> PathBuf {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let path = std::env::temp_dir().join(format!("db20-rust-check-{}-{}", std::process::id(), n));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn check_bytes(bytes: &[u8]) -> Output {
    let path = temp_file(bytes);
    let out = db20().arg("check").arg(&path).output().unwrap();
    std::fs::remove_file(&path).unwrap();
    out
}

fn expect(bytes: &[u8], line: &str, status: i32) {
    let out = check_bytes(bytes);
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{}\n", line));
    assert_eq!(out.status.code(), Some(status), "{}", line);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn accepts_the_empty_snapshot() {
    expect(&snapshot(0, &[]), "ok commit=0 entries=0 crc=f89a2371", 0);
}

#[test]
fn accepts_the_one_entry_vector() {
    expect(
        &snapshot(1, &[("a", "v")]),
        "ok commit=1 entries=1 crc=bd62cffd",
        0,
    );
}

#[test]
fn accepts_a_large_commit_and_several_entries() {
    let b = snapshot(u64::MAX, &[("a", ""), ("ab", "x"), ("b", "yy")]);
    let crc = u32::from_le_bytes(b[b.len() - 4..].try_into().unwrap());
    expect(
        &b,
        &format!("ok commit=18446744073709551615 entries=3 crc={:08x}", crc),
        0,
    );
}

#[test]
fn refuses_bad_magic() {
    let mut b = snapshot(7, &[]);
    b[0] = b'X';
    expect(&fix_crc(b), "refused offset 0: bad magic", 1);
}

#[test]
fn refuses_unknown_version() {
    let mut b = snapshot(7, &[]);
    b[4] = 2;
    expect(&fix_crc(b), "refused offset 4: unknown version", 1);
}

#[test]
fn refuses_nonzero_flags() {
    let mut b = snapshot(7, &[]);
    b[7] = 0x80;
    expect(&fix_crc(b), "refused offset 6: nonzero flags", 1);
}

#[test]
fn refuses_truncated() {
    let b = snapshot(7, &[("a", "v")]);
    expect(&b[..b.len() - 1], "refused offset 30: truncated", 1);
    expect(b"", "refused offset 0: truncated", 1);
}

#[test]
fn refuses_length_past_end() {
    let mut b = snapshot(7, &[("a", "v")]);
    put_u32_le(&mut b, 25, 1_000_000);
    expect(&fix_crc(b), "refused offset 25: length past end", 1);
}

#[test]
fn refuses_empty_key() {
    let mut b = snapshot(7, &[("a", "v")]);
    put_u32_le(&mut b, 20, 0);
    expect(&fix_crc(b), "refused offset 20: empty key", 1);
}

#[test]
fn refuses_key_too_long() {
    let mut b = snapshot(7, &[("a", "v")]);
    put_u32_le(&mut b, 20, 65_536);
    expect(&fix_crc(b), "refused offset 20: key too long", 1);
}

#[test]
fn refuses_value_too_long() {
    let mut b = snapshot(7, &[("a", "v")]);
    put_u32_le(&mut b, 25, 1_048_577);
    expect(&fix_crc(b), "refused offset 25: value too long", 1);
}

#[test]
fn refuses_keys_out_of_order() {
    let mut b = snapshot(7, &[("a", "1"), ("b", "2")]);
    b[24] = b'c';
    expect(&fix_crc(b), "refused offset 30: keys out of order", 1);
}

#[test]
fn refuses_duplicate_key() {
    let mut b = snapshot(7, &[("a", "1"), ("b", "2")]);
    b[34] = b'a';
    expect(&fix_crc(b), "refused offset 30: duplicate key", 1);
}

#[test]
fn refuses_trailing_bytes() {
    let mut b = snapshot(7, &[("a", "v")]);
    b.push(0);
    expect(&b, "refused offset 34: trailing bytes", 1);
}

#[test]
fn refuses_crc_mismatch() {
    let mut b = snapshot(1, &[("a", "v")]);
    b[29] ^= 1;
    expect(&b, "refused offset 30: crc mismatch", 1);
}

fn check_path(path: &std::ffi::OsStr) -> Output {
    db20().arg("check").arg(path).output().unwrap()
}

#[test]
fn a_missing_file_is_exit_2_with_the_reason() {
    let path = std::env::temp_dir().join("db20-rust-check-no-such-file");
    let out = check_path(path.as_os_str());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: cannot read {}: no such file\n",
            // The name is escaped and cut as N12 quotes a token; a long TMPDIR gets cut.
            db20::script::escape_token(path.as_os_str().as_encoded_bytes())
        )
    );
}

#[test]
fn a_file_name_is_escaped_in_the_error() {
    use std::os::unix::ffi::OsStrExt;
    let out = check_path(std::ffi::OsStr::from_bytes(b"/nonexistent/\x1b[31m\\x"));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot read /nonexistent/\\x1b[31m\\\\x: no such file\n"
    );
}

#[test]
fn a_directory_is_exit_2() {
    let out = check_path(std::env::temp_dir().as_os_str());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: cannot read "), "{}", err);
    assert!(err.ends_with(": is a directory\n"), "{}", err);
    assert_eq!(err.lines().count(), 1, "{}", err);
}

#[test]
fn check_to_a_full_stdout_is_the_n14_line() {
    let path = temp_file(&snapshot(0, &[]));
    let out = db20()
        .arg("check")
        .arg(&path)
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot write to standard output\n"
    );
}

#[test]
fn usage_errors_are_exit_2() {
    for args in [&["check"][..], &[], &["check", "a", "b"], &["frob", "x"]] {
        let out = db20().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{:?}", args);
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("usage: "));
    }
}

/// The suite's check vectors (db20-conformance/vectors/check-NAME.db20 and .check: the line and
/// the exit status), each through the program's streaming reader. Vectors made from a recipe at
/// run time have no .db20 file here; `db20 conform` runs those.
#[test]
fn the_check_vectors_give_each_files_line() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../db20-conformance/vectors");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("check-") && name.ends_with(".check")) {
            continue;
        }
        let spec = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = spec.lines().collect();
        assert!((2..=3).contains(&lines.len()), "{}", path.display());
        if lines.len() == 3 {
            continue; // a recipe
        }
        let status: i32 = lines[1].strip_prefix("exit ").unwrap().parse().unwrap();
        let (want_out, want_err) = if status == 2 {
            (String::new(), format!("{}\n", lines[0]))
        } else {
            (format!("{}\n", lines[0]), String::new())
        };
        let out = db20()
            .arg("check")
            .arg(path.with_extension("db20"))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), want_out, "{}", name);
        assert_eq!(String::from_utf8_lossy(&out.stderr), want_err, "{}", name);
        assert_eq!(out.status.code(), Some(status), "{}", name);
        seen += 1;
    }
    assert!(
        seen >= 20,
        "only {} check vectors in {}",
        seen,
        dir.display()
    );
}
