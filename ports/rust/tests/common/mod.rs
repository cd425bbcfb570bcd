//! The test helpers of this port, in one place (each test file says `mod common;`): the
//! conformance vectors and the golden digests read from them, running a script in process and
//! the db20 program, and building snapshots. Not every test file uses every helper.
#![allow(dead_code)]

use db20::script::{ScriptError, ScriptRunner};
use db20::wire::crc32c::crc32c;
use db20::wire::le::put_u32_le;
use db20::wire::SnapshotState;
use std::path::{Path, PathBuf};
use std::process::Command;

/// db20-conformance/vectors, the released suite.
pub fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../db20-conformance/vectors")
}

/// The bytes of `vectors/NAME`.
pub fn vector(name: &str) -> Vec<u8> {
    let path = vectors().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {}", path.display(), e))
}

/// The golden digest of SPEC §7's scenario `name` ("a" or "b"), read from where it is written:
/// the last line of `vectors/scenario-NAME.out`, which must be `digest` and 16 hex digits
/// (Java: GoldenDigestsTest.golden).
pub fn golden(name: &str) -> String {
    let out = String::from_utf8(vector(&format!("scenario-{}.out", name))).unwrap();
    let last = out.lines().last().unwrap_or("");
    let digest = last.strip_prefix("digest ").unwrap_or("");
    assert!(
        digest.len() == 16
            && digest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "scenario-{}.out does not end in a digest line: {:?}",
        name,
        last
    );
    digest.to_string()
}

/// Runs `script` in process: what it printed, and how the run ended.
pub fn run_script(script: &[u8]) -> (String, Result<(), ScriptError>) {
    let mut out = Vec::new();
    let result = ScriptRunner::new(&mut out).run(script);
    (String::from_utf8(out).unwrap(), result)
}

/// The db20 program this crate builds.
pub fn db20() -> Command {
    Command::new(env!("CARGO_BIN_EXE_db20"))
}

/// The canonical snapshot of `pairs` (in key order) at `commit_index`.
pub fn snapshot(commit_index: u64, pairs: &[(&str, &str)]) -> Vec<u8> {
    SnapshotState {
        commit_index,
        entries: pairs
            .iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect(),
    }
    .encode()
}

/// `b` with its last four bytes set to the CRC-32C of the rest, so that a test can break one
/// rule without also breaking the checksum.
pub fn fix_crc(mut b: Vec<u8>) -> Vec<u8> {
    let at = b.len() - 4;
    let crc = crc32c(&b[..at]);
    put_u32_le(&mut b, at, crc);
    b
}
