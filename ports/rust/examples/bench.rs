//! The Rust twin of Java's ClusterBench, on std::time only (no crates):
//!   cargo run --release --example bench
//! Prints the median of seven runs of each measurement, then one run of the issue-8 script.
//!
//! Snapshots are cached per state version, so a dump or digest of an unchanged cluster costs
//! next to nothing; the dump and digest cases commit a `noop` first so each call encodes anew.

use db20::core::{Cluster, Op};
use db20::script::ScriptRunner;
use db20::workload::Workload;
use std::hint::black_box;
use std::time::Instant;

const ISSUE_8: &str = "cluster 5\nseed 7\nkeys 100000\nops 600000\npartition 3 4\nops 200000\nheal\nops 200000\ndigest\n";

fn filled(keys: u64) -> (Cluster, Workload) {
    let mut c = Cluster::new(5).unwrap();
    let mut w = Workload::new(20, keys);
    for _ in 0..keys * 4 {
        c.propose(w.next_op());
    }
    (c, w)
}

/// Median nanoseconds per call of `f`, over seven runs of `calls` calls each.
fn median_ns(calls: u32, mut f: impl FnMut()) -> f64 {
    let mut runs: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                f();
            }
            start.elapsed().as_nanos() as f64 / calls as f64
        })
        .collect();
    runs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    runs[3]
}

fn main() {
    let (mut c, mut w) = filled(10_000);
    let propose = median_ns(200_000, || {
        black_box(c.propose(w.next_op()));
    });
    let (mut c, _) = filled(10_000);
    let dump = median_ns(200, || {
        c.propose(Op::noop());
        black_box(c.replica(0).dump_state());
    });
    let digest = median_ns(50, || {
        c.propose(Op::noop());
        black_box(c.digest());
    });
    let start = Instant::now();
    let mut out = Vec::new();
    ScriptRunner::new(&mut out)
        .run(ISSUE_8.as_bytes())
        .expect("the issue-8 script runs");
    let issue8 = start.elapsed().as_secs_f64() * 1e3;
    println!("propose (5 replicas, 10000 keys)   {:>12.0} ns/op", propose);
    println!("noop + dump_state (10000 keys)     {:>12.0} ns/op", dump);
    println!("noop + digest (5 x 10000 keys)     {:>12.0} ns/op", digest);
    println!("issue-8 script (1,000,000 ops)     {:>12.1} ms", issue8);
    print!("{}", String::from_utf8_lossy(&out));
}
