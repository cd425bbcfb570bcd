//! Every conformance vector in db20-conformance/vectors, run in-process: stdout byte for byte,
//! and for error vectors the `error line L:` prefix.

use db20::script::{ScriptError, ScriptRunner};
use std::fs;
use std::path::Path;

#[test]
fn every_vector_matches() {
    let dir = Path::new("../../db20-conformance/vectors");
    let mut names: Vec<String> = fs::read_dir(dir)
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
        let script = fs::read(dir.join(format!("{}.txt", name))).unwrap();
        let expected = fs::read(&out_path).unwrap_or_default();
        let mut out = Vec::new();
        let result = ScriptRunner::new(&mut out).run(&script[..]);
        let ok = match (&result, err_path.exists()) {
            (Ok(()), false) => true,
            (Err(e @ ScriptError::Line { .. }), true) => {
                let prefix = fs::read_to_string(&err_path).unwrap();
                e.to_string().starts_with(prefix.lines().next().unwrap())
            }
            _ => false,
        } && out == expected;
        if !ok {
            failures.push(name.clone());
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {} vectors found", checked);
    assert!(failures.is_empty(), "failing vectors: {:?}", failures);
}
