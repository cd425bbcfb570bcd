//! SPEC §7's error classes and the spec-notes readings, as in Java's ScriptRunnerTest.

mod common;

use db20::script::{escape_token, parse_u64, ScriptError, ScriptRunner};

fn run(script: &[u8]) -> String {
    let (out, result) = common::run_script(script);
    result.unwrap();
    out
}

fn fails(script: &[u8], line: u64, message: &str, before: &str) {
    let (out, result) = common::run_script(script);
    match result {
        Err(ScriptError::Line {
            line: l,
            message: m,
        }) => {
            assert_eq!((l, m.as_str()), (line, message));
        }
        other => panic!("expected a bad line, got {:?}", other.map(|_| ())),
    }
    assert_eq!(out, before);
}

#[test]
fn unknown_command() {
    fails(
        b"cluster 1\nnoop\nfrobnicate 3\n",
        3,
        "unknown command 'frobnicate'",
        "committed 1\n",
    );
}

#[test]
fn wrong_arity() {
    fails(
        b"cluster 3\nput a\n",
        2,
        "'put' expects 2 arguments, got 1",
        "",
    );
    fails(
        b"cluster 3\nget\n",
        2,
        "'get' expects 1 argument, got 0",
        "",
    );
}

#[test]
fn bad_number() {
    let want = " (want decimal or 0x hex, at most 2^64-1)";
    fails(
        b"cluster five\n",
        1,
        &format!("invalid number 'five'{}", want),
        "",
    );
    fails(
        b"seed 0X10\n",
        1,
        &format!("invalid number '0X10'{}", want),
        "",
    );
    fails(
        b"seed 18446744073709551616\n",
        1,
        &format!("invalid number '18446744073709551616'{}", want),
        "",
    );
    assert_eq!(parse_u64(b"0xFFFFffffFFFFffff"), Some(u64::MAX));
    assert_eq!(parse_u64(b"007"), Some(7));
    assert_eq!(parse_u64(b"0x"), None);
    assert_eq!(parse_u64(b"+1"), None);
}

#[test]
fn id_out_of_range() {
    fails(
        b"cluster 3\nreplica 3\n",
        2,
        "replica id 3 out of range 0..2",
        "",
    );
    fails(
        b"cluster 3\npartition 0 7\n",
        2,
        "replica id 7 out of range 0..2",
        "",
    );
}

#[test]
fn op_over_the_limits() {
    let mut s = b"cluster 1\nput ".to_vec();
    s.extend(vec![b'k'; 65_536]);
    s.extend(b" v\n");
    fails(&s, 2, "key length exceeds the limit of 65535 bytes", "");
    let mut v = b"cluster 1\nput k ".to_vec();
    v.extend(vec![b'v'; 1_048_577]);
    v.push(b'\n');
    fails(&v, 2, "value length exceeds the limit of 1048576 bytes", "");
}

#[test]
fn command_before_cluster() {
    fails(
        b"seed 1\nkeys 4\nput a b\n",
        3,
        "'put' before the first 'cluster'",
        "",
    );
}

/// spec-notes N3: unknown command, then arity, then numbers, then the cluster; each line below
/// is wrong in two ways and must report the earlier check.
#[test]
fn n3_order_of_checks() {
    fails(b"frob x y\n", 1, "unknown command 'frob'", "");
    fails(b"ops x y\n", 1, "'ops' expects 1 argument, got 2", "");
    fails(
        b"replica x\n",
        1,
        "invalid number 'x' (want decimal or 0x hex, at most 2^64-1)",
        "",
    );
    fails(
        b"partition 0 x\n",
        1,
        "invalid number 'x' (want decimal or 0x hex, at most 2^64-1)",
        "",
    );
    fails(b"heal 1\n", 1, "'heal' expects 0 arguments, got 1", "");
    fails(b"get\n", 1, "'get' expects 1 argument, got 0", "");
    fails(b"digest\n", 1, "'digest' before the first 'cluster'", "");
    fails(b"cluster 0\n", 1, "cluster size 0 out of range 1..255", "");
}

#[test]
fn keys_zero() {
    fails(
        b"keys 0\n",
        1,
        "key space 0 out of range (must be >= 1)",
        "",
    );
}

#[test]
fn cluster_zero_and_256() {
    fails(b"cluster 0\n", 1, "cluster size 0 out of range 1..255", "");
    fails(
        b"cluster 256\n",
        1,
        "cluster size 256 out of range 1..255",
        "",
    );
}

#[test]
fn crlf_comments_and_hash_tokens() {
    assert_eq!(
        run(b"# c\r\ncluster 1\r\nput a #b\r\nget a"),
        "committed 1\nvalue 2362\n"
    );
}

#[test]
fn get_of_an_overlong_key_is_missing() {
    let mut s = b"cluster 1\nget ".to_vec();
    s.extend(vec![b'k'; 70_000]);
    assert_eq!(run(&s), "missing\n");
}

// N12: input bytes in error lines are escaped and cut.

#[test]
fn escape_token_follows_n12() {
    assert_eq!(escape_token(b"put"), "put");
    assert_eq!(escape_token(b"\x00\x1b]0;t\x07"), "\\x00\\x1b]0;t\\x07");
    assert_eq!(escape_token(b"a\\b"), "a\\\\b");
    assert_eq!(
        escape_token(b"\x20\x7f\x80\xff~!"),
        "\\x20\\x7f\\x80\\xff~!"
    );
    assert_eq!(escape_token("é".as_bytes()), "\\xc3\\xa9");
    let exactly = vec![b'y'; 64];
    assert_eq!(escape_token(&exactly), "y".repeat(64));
    let over = vec![b'y'; 65];
    assert_eq!(
        escape_token(&over),
        format!("{}...(65 bytes)", "y".repeat(64))
    );
    // The cut counts input bytes, not escaped characters.
    let mut controls = vec![0x01u8; 64];
    controls.push(b'z');
    assert_eq!(
        escape_token(&controls),
        format!("{}...(65 bytes)", "\\x01".repeat(64))
    );
}

#[test]
fn a_ten_megabyte_token_yields_one_short_line() {
    let mut s = b"cluster 1\n".to_vec();
    s.extend(vec![0x07u8; 10_000_000]);
    s.push(b'\n');
    let mut out = Vec::new();
    let e = ScriptRunner::new(&mut out).run(&s[..]).unwrap_err();
    let line = e.to_string();
    assert_eq!(
        line,
        format!(
            "error line 2: unknown command '{}...(10000000 bytes)'",
            "\\x07".repeat(64)
        )
    );
}

#[test]
fn bad_numbers_are_escaped_too() {
    fails(
        b"cluster 1\nops 12\xff3\n",
        2,
        "invalid number '12\\xff3' (want decimal or 0x hex, at most 2^64-1)",
        "",
    );
}

// N13: a last line without `\n` that ends in `\r`.

#[test]
fn a_last_line_ending_in_cr_runs() {
    assert_eq!(run(b"cluster 1\nnoop\r"), "committed 1\n");
    // Only one `\r` is dropped: the value keeps the other.
    assert_eq!(
        run(b"cluster 1\nput a v\r\r\nget a\r"),
        "committed 1\nvalue 760d\n"
    );
    assert_eq!(run(b"cluster 1\nput a v\r\r"), "committed 1\n");
}

// N14 and N15: output failures and flushing, in process.

/// Records, at each flush, how many bytes had been written; fails every write after `fail_after`
/// bytes.
struct Recording {
    written: Vec<u8>,
    flushes: Vec<usize>,
    fail_after: usize,
}

impl std::io::Write for Recording {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written.len() + buf.len() > self.fail_after {
            return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
        }
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.flushes.push(self.written.len());
        Ok(())
    }
}

#[test]
fn output_is_flushed_before_each_ops_line() {
    let mut w = Recording {
        written: Vec::new(),
        flushes: Vec::new(),
        fail_after: usize::MAX,
    };
    ScriptRunner::new(&mut w)
        .run(&b"cluster 1\nput a b\nops 3\nnoop\nops 1\n"[..])
        .unwrap();
    let text = String::from_utf8(w.written.clone()).unwrap();
    assert_eq!(
        text,
        "committed 1\nops committed=3 rejected=0\ncommitted 5\nops committed=1 rejected=0\n"
    );
    let before_first_ops = "committed 1\n".len();
    let before_second_ops = "committed 1\nops committed=3 rejected=0\ncommitted 5\n".len();
    assert_eq!(
        w.flushes,
        vec![before_first_ops, before_second_ops, text.len()]
    );
}

#[test]
fn a_failing_output_stops_the_run_with_the_output_error() {
    let mut w = Recording {
        written: Vec::new(),
        flushes: Vec::new(),
        fail_after: 0,
    };
    let e = ScriptRunner::new(&mut w)
        .run(&b"cluster 1\nnoop\n"[..])
        .unwrap_err();
    assert!(matches!(e, ScriptError::Output(_)), "{:?}", e);
    assert_eq!(e.to_string(), "error: cannot write to standard output");
}

#[test]
fn an_output_failure_outranks_a_later_bad_line() {
    let mut w = Recording {
        written: Vec::new(),
        flushes: Vec::new(),
        fail_after: 0,
    };
    let e = ScriptRunner::new(std::io::BufWriter::new(&mut w))
        .run(&b"cluster 1\nnoop\nfrob\n"[..])
        .unwrap_err();
    assert!(matches!(e, ScriptError::Output(_)), "{:?}", e);
}

fn bytes(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Hands out one byte per read: every token and line end crosses a buffer end.
struct Trickle<'a>(&'a [u8]);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() || buf.is_empty() {
            return Ok(0);
        }
        buf[0] = self.0[0];
        self.0 = &self.0[1..];
        Ok(1)
    }
}

#[test]
fn get_of_an_overlong_key_is_missing_whatever_follows() {
    let k = vec![b'k'; 65_535];
    let long = vec![b'k'; 70_000];
    assert_eq!(
        run(&bytes(&[b"cluster 1\nget ", &long, b"\n"])),
        "missing\n"
    );
    assert_eq!(
        run(&bytes(&[
            b"cluster 1\nput ",
            &k,
            b" v\nget ",
            &k,
            b"kk\nget ",
            &k,
            b"k\n"
        ])),
        "committed 1\nmissing\nmissing\n"
    );
    fails(
        &bytes(&[b"cluster 1\nget ", &long, b" x\n"]),
        2,
        "'get' expects 1 argument, got 2",
        "",
    );
    assert_eq!(
        run(&bytes(&[b"cluster 3\npartition 1 2\nget ", &long, b"\n"])),
        "rejected\n"
    );
}

#[test]
fn a_key_or_value_past_its_bound_is_refused_before_the_rest_of_the_line() {
    let long_key = vec![b'k'; 65_536];
    let key_error = "key length exceeds the limit of 65535 bytes";
    let value_error = "value length exceeds the limit of 1048576 bytes";
    fails(&bytes(&[b"put ", &long_key, b"\n"]), 1, key_error, "");
    fails(
        &bytes(&[b"cluster 1\ndel ", &long_key, b" x y\n"]),
        2,
        key_error,
        "",
    );
    let v = vec![b'v'; 1_048_576];
    fails(
        &bytes(&[b"cluster 1\nput k ", &v, b"v x\n"]),
        2,
        value_error,
        "",
    );
    assert_eq!(
        run(&bytes(&[b"cluster 1\nput k ", &v, b"\r\n"])),
        "committed 1\n"
    );
    fails(
        &bytes(&[b"cluster 1\nput k ", &v, b"\rx\n"]),
        2,
        value_error,
        "",
    );
    fails(
        &bytes(&[b"cluster 1\nput ", &long_key, b" ", &v, b"v\n"]),
        2,
        key_error,
        "",
    );
}

#[test]
fn a_number_or_command_word_over_64_bytes_is_invalid_and_quoted_with_its_length() {
    let zeros = "0".repeat(64);
    assert_eq!(run(format!("cluster {}1\n", &zeros[1..]).as_bytes()), "");
    fails(
        format!("cluster {}1\n", zeros).as_bytes(),
        1,
        &format!(
            "invalid number '{}...(65 bytes)' (want decimal or 0x hex, at most 2^64-1)",
            zeros
        ),
        "",
    );
    fails(
        format!("cluster 1\n{} a\n", "x".repeat(100_000)).as_bytes(),
        2,
        &format!("unknown command '{}...(100000 bytes)'", "x".repeat(64)),
        "",
    );
}

#[test]
fn partition_folds_its_ids_as_they_are_read() {
    let mut many = String::from("cluster 3\npartition");
    for i in 0..10_000 {
        many.push_str(if i % 2 == 0 { " 1" } else { " 2" });
    }
    many.push_str("\nput a b\nreplica 0\nreplica 1\n");
    assert_eq!(
        run(many.as_bytes()),
        "rejected\nreplica 0 commit=0 keys=0 partitioned=false\n\
         replica 1 commit=0 keys=0 partitioned=true\n"
    );
    fails(
        b"cluster 3\npartition 1 7 x 9\n",
        2,
        "invalid number 'x' (want decimal or 0x hex, at most 2^64-1)",
        "",
    );
    fails(
        b"cluster 3\npartition 1 7 2 9\n",
        2,
        "replica id 7 out of range 0..2",
        "",
    );
    fails(
        b"partition 1 7 2 9\n",
        1,
        "'partition' before the first 'cluster'",
        "",
    );
}

#[test]
fn line_ends_and_carriage_returns_read_the_same_across_read_boundaries() {
    let script: &[u8] = b"cluster 1\r\nput a\rb v\r\r\n \r\n# x\r\nget a\rb\t\r\nget a\rb\r";
    let want = "committed 1\nvalue 760d\nvalue 760d\n";
    let mut out = Vec::new();
    ScriptRunner::new(&mut out)
        .run(std::io::BufReader::new(Trickle(script)))
        .unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), want);
    assert_eq!(run(script), want);
    let mut out = Vec::new();
    match ScriptRunner::new(&mut out).run(std::io::BufReader::new(Trickle(b"cluster 1\n\r\r\n"))) {
        Err(ScriptError::Line { line, message }) => {
            assert_eq!((line, message.as_str()), (2, "unknown command '\\x0d'"))
        }
        other => panic!("expected a bad line, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn a_comment_line_of_any_length_is_skipped() {
    let c = "c \r".repeat(300_000);
    assert_eq!(
        run(format!("cluster 1\n#{}\nput a b\n", c).as_bytes()),
        "committed 1\n"
    );
    fails(
        format!("cluster 1\n  #{}\n\nbad\n", "c".repeat(300_000)).as_bytes(),
        4,
        "unknown command 'bad'",
        "",
    );
}
