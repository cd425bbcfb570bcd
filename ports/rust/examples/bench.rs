//! The Rust twin of Java's ClusterBench, on std::time only (no crates):
//!   cargo run --release --example bench
//! Prints the median of seven runs of each measurement.

use db20::core::Cluster;
use db20::workload::Workload;
use std::hint::black_box;
use std::time::Instant;

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
    let (c, _) = filled(10_000);
    let dump = median_ns(200, || {
        black_box(c.replica(0).dump_state());
    });
    let digest = median_ns(50, || {
        black_box(c.digest());
    });
    println!("propose (5 replicas, 10000 keys)   {:>12.0} ns/op", propose);
    println!("dump_state (10000 keys)            {:>12.0} ns/op", dump);
    println!("digest (5 x 10000 keys)            {:>12.0} ns/op", digest);
}
