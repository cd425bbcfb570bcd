//! Every conformance vector in db20-conformance/vectors, twice: in-process through the library,
//! and through the db20 program. Stdout byte for byte (empty when there is no `.out`); for error
//! vectors the WHOLE first stderr line equals the first line of `.err`, and the exit status is 2.

mod common;

use common::{db20, run_script, vectors};
use db20::script::ScriptError;
use std::fs;

fn first_line(bytes: &[u8]) -> &[u8] {
    bytes.split(|&b| b == b'\n').next().unwrap_or(b"")
}

#[test]
fn every_vector_matches_in_process_and_through_the_program() {
    let dir = vectors();
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".txt").map(str::to_string))
        .collect();
    names.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for name in &names {
        let out_path = dir.join(format!("{}.out", name));
        let err_path = dir.join(format!("{}.err", name));
        if !out_path.exists() && !err_path.exists() {
            continue;
        }
        let script_path = dir.join(format!("{}.txt", name));
        let script = fs::read(&script_path).unwrap();
        let expected = fs::read(&out_path).unwrap_or_default();
        let expected_err = fs::read(&err_path).ok();

        let (out, result) = run_script(&script);
        let in_process_ok = match (&result, &expected_err) {
            (Ok(()), None) => true,
            (Err(e @ ScriptError::Line { .. }), Some(err)) => {
                e.to_string().as_bytes() == first_line(err)
            }
            _ => false,
        } && out.as_bytes() == expected;
        if !in_process_ok {
            failures.push(format!("{} (in process)", name));
        }

        let run = db20().arg("run").arg(&script_path).output().unwrap();
        let program_ok = match &expected_err {
            None => run.status.code() == Some(0) && run.stderr.is_empty(),
            Some(err) => run.status.code() == Some(2) && first_line(&run.stderr) == first_line(err),
        } && run.stdout == expected;
        if !program_ok {
            failures.push(format!("{} (program)", name));
        }
        checked += 1;
    }
    assert!(checked >= 57, "only {} vectors found", checked);
    assert!(failures.is_empty(), "failing vectors: {:?}", failures);
}
