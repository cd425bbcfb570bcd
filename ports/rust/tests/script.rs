//! SPEC §7's error classes and the spec-notes readings, as in Java's ScriptRunnerTest.

use db20::script::{parse_u64, ScriptError, ScriptRunner};

fn run(script: &[u8]) -> String {
    let mut out = Vec::new();
    ScriptRunner::new(&mut out).run(script).unwrap();
    String::from_utf8(out).unwrap()
}

fn fails(script: &[u8], line: u64, message: &str, before: &str) {
    let mut out = Vec::new();
    match ScriptRunner::new(&mut out).run(script) {
        Err(ScriptError::Line {
            line: l,
            message: m,
        }) => {
            assert_eq!((l, m.as_str()), (line, message));
        }
        other => panic!("expected a bad line, got {:?}", other.map(|_| ())),
    }
    assert_eq!(String::from_utf8(out).unwrap(), before);
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
    fails(
        &s,
        2,
        "key length 65536 exceeds the limit of 65535 bytes",
        "",
    );
    let mut v = b"cluster 1\nput k ".to_vec();
    v.extend(vec![b'v'; 1_048_577]);
    v.push(b'\n');
    fails(
        &v,
        2,
        "value length 1048577 exceeds the limit of 1048576 bytes",
        "",
    );
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
