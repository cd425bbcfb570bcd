//! Issue 20's first table against the program (Java: `HostileFilesTest`): hostile files for
//! `check` and huge lines for `run`, each with its peak resident set size (VmHWM, sampled every
//! few milliseconds while the process lives) under 256 MiB and a prompt exit. Big inputs come
//! through a pipe, generated as they are written; only the sparse file is on disk.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MAX_PEAK_KB: u64 = 256 * 1024;
/// Bytes of the huge lines: past the 1 GiB where Java's line buffer used to overflow.
const HUGE: u64 = 1_100 << 20;

struct Measured {
    exit: Option<i32>,
    out: String,
    err: String,
    peak_kb: u64,
}

/// `struct rusage` of Linux (the crate has no dependencies, so not the libc crate's).
#[repr(C)]
struct Rusage {
    ru_utime: [i64; 2],
    ru_stime: [i64; 2],
    ru_maxrss: i64,
    rest: [i64; 13],
}

extern "C" {
    fn getrusage(who: i32, usage: *mut Rusage) -> i32;
}

/// The largest peak RSS (kB) of any child this test process has waited for: an upper bound
/// on each child's, also for one that exits before the first sample.
fn children_max_rss_kb() -> u64 {
    const RUSAGE_CHILDREN: i32 = -1;
    let mut u = Rusage {
        ru_utime: [0; 2],
        ru_stime: [0; 2],
        ru_maxrss: 0,
        rest: [0; 13],
    };
    // SAFETY: getrusage writes one struct rusage, whose Linux layout Rusage has.
    let rc = unsafe { getrusage(RUSAGE_CHILDREN, &mut u) };
    assert_eq!(rc, 0, "getrusage failed");
    u.ru_maxrss as u64
}

fn hwm_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid)).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Runs the program; `feed` (if any) writes its standard input from another thread.
/// Writes a child's standard input.
type Feed = Box<dyn FnOnce(&mut dyn Write) + Send>;

fn run(feed: Option<Feed>, args: &[&str]) -> Measured {
    let mut child = Command::new(env!("CARGO_BIN_EXE_db20"))
        .args(args)
        .stdin(if feed.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let writer = feed.map(|f| {
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || f(&mut stdin))
    });
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut s).unwrap();
        s
    });
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut peak = 0;
    let status = loop {
        peak = peak.max(hwm_kb(pid));
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "db20 {:?} did not exit in 180 s",
            args
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    if let Some(w) = writer {
        w.join().unwrap();
    }
    Measured {
        exit: status.code(),
        out: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        err: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        peak_kb: peak.max(children_max_rss_kb()),
    }
}

/// `head`, `n` bytes of `fill`, then `tail`; a closed pipe (the program stopped reading) ends it.
fn line(head: &'static str, n: u64, fill: u8, tail: &'static str) -> Feed {
    Box::new(move |w: &mut dyn Write| {
        let chunk = vec![fill; 1 << 16];
        let _ = (|| -> std::io::Result<()> {
            w.write_all(head.as_bytes())?;
            let mut left = n;
            while left > 0 {
                let k = left.min(chunk.len() as u64) as usize;
                w.write_all(&chunk[..k])?;
                left -= k as u64;
            }
            w.write_all(tail.as_bytes())
        })();
    })
}

fn expect(m: &Measured, exit: i32, out: &str, err: &str) {
    assert_eq!(
        (m.exit, m.out.as_str(), m.err.as_str()),
        (Some(exit), out, err)
    );
    assert!(m.peak_kb > 0, "no RSS sample taken");
    assert!(m.peak_kb < MAX_PEAK_KB, "peak RSS {} kB", m.peak_kb);
}

fn temp(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("db20-rust-hostile-{}-{}", std::process::id(), name));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn check_of_dev_zero_is_refused_before_a_byte_is_read() {
    let m = run(None, &["check", "/dev/zero"]);
    expect(
        &m,
        2,
        "",
        "error: cannot read /dev/zero: not a regular file\n",
    );
}

#[test]
fn check_of_a_fifo_is_refused_without_opening_it() {
    let fifo = temp("fifo");
    let _ = std::fs::remove_file(&fifo);
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let m = run(None, &["check", fifo.to_str().unwrap()]);
    expect(
        &m,
        2,
        "",
        &format!(
            "error: cannot read {}: not a regular file\n",
            fifo.display()
        ),
    );
    std::fs::remove_dir_all(fifo.parent().unwrap()).unwrap();
}

#[test]
fn check_of_a_4_gib_sparse_file_stops_at_the_first_bad_field() {
    let zeros = temp("zeros");
    std::fs::File::create(&zeros)
        .unwrap()
        .set_len(4 << 30)
        .unwrap();
    let m = run(None, &["check", zeros.to_str().unwrap()]);
    expect(&m, 1, "refused offset 0: bad magic\n", "");
    // A good header and a count of 1000, then zeros: the first key length is 0.
    let header = temp("header");
    let mut f = std::fs::File::create(&header).unwrap();
    f.write_all(&[
        b'D', b'B', b'2', b'0', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xe8, 3, 0, 0,
    ])
    .unwrap();
    f.set_len(4 << 30).unwrap();
    let m = run(None, &["check", header.to_str().unwrap()]);
    expect(&m, 1, "refused offset 20: empty key\n", "");
    std::fs::remove_dir_all(zeros.parent().unwrap()).unwrap();
    std::fs::remove_dir_all(header.parent().unwrap()).unwrap();
}

#[test]
fn a_huge_comment_line_through_a_pipe_is_skipped_in_bounded_memory() {
    let m = run(
        Some(line("cluster 1\n#", HUGE, b'c', "\nput a b\n")),
        &["run", "-"],
    );
    expect(&m, 0, "committed 1\n", "");
}

#[test]
fn get_of_a_huge_key_through_a_pipe_is_missing_in_bounded_memory() {
    let m = run(
        Some(line("cluster 1\nget ", HUGE, b'k', "\nnoop\n")),
        &["run", "-"],
    );
    expect(&m, 0, "missing\ncommitted 1\n", "");
}

#[test]
fn a_huge_value_is_refused_as_it_passes_the_limit() {
    let m = run(
        Some(line("cluster 1\nput k ", HUGE, b'v', "\n")),
        &["run", "-"],
    );
    expect(
        &m,
        2,
        "",
        "error line 2: value length exceeds the limit of 1048576 bytes\n",
    );
}

#[test]
fn a_huge_unknown_command_is_counted_not_held() {
    let m = run(Some(line("cluster 1\n", HUGE, b'x', "\n")), &["run", "-"]);
    let want = format!(
        "error line 2: unknown command '{}...({} bytes)'\n",
        "x".repeat(64),
        HUGE
    );
    expect(&m, 2, "", &want);
}

#[test]
fn any_other_failure_to_read_is_read_error() {
    // N18: here ENOTDIR, a path through a regular file.
    let file = temp("plain");
    std::fs::write(&file, b"x").unwrap();
    let path = format!("{}/x", file.display());
    let m = run(None, &["check", &path]);
    expect(
        &m,
        2,
        "",
        &format!("error: cannot read {}: read error\n", path),
    );
    std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
}
