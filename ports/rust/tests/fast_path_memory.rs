//! The settled fast path in constant memory (docs/core-model.md "Fast path"): a counting global
//! allocator measures the heap while a 255-replica cluster commits 200,000 workload ops (20,000 in
//! a debug build). Its own test binary, so no other test's allocations are counted.

use db20::core::{Cluster, ProposeResult};
use db20::workload::Workload;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        let live = LIVE_BYTES.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK_BYTES.fetch_max(live, Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn a_huge_op_count_runs_through_the_fast_path_in_constant_memory() {
    // Settled: no partition, everyone at the tip; each propose is one apply. Debug builds check
    // the O(N) aliases on every propose, so they run a tenth of the ops.
    const OPS: u64 = if cfg!(debug_assertions) {
        20_000
    } else {
        200_000
    };
    let mut c = Cluster::new(255).unwrap();
    let mut w = Workload::new(0, 16);
    // Warm up: after 200,000 draws the workload's caches hold all 16 keys and all 10,000 values
    // (bounded by the key and value spaces, not by the op count); 1,000 proposes put every key
    // in the map and size its table.
    for _ in 0..200_000 {
        w.next_op();
    }
    for _ in 0..1_000 {
        c.propose(w.next_op());
    }
    let (allocations, live, peak) = (
        ALLOCATIONS.load(Relaxed),
        LIVE_BYTES.load(Relaxed),
        PEAK_BYTES.load(Relaxed),
    );
    let mut last = ProposeResult::Rejected;
    for _ in 0..OPS {
        last = c.propose(w.next_op());
    }
    let (allocations_after, live_after, peak_after) = (
        ALLOCATIONS.load(Relaxed),
        LIVE_BYTES.load(Relaxed),
        PEAK_BYTES.load(Relaxed),
    );
    assert_eq!(last, ProposeResult::Committed(1_000 + OPS));
    assert_eq!(c.replica(254).commit_index(), 1_000 + OPS);
    assert_eq!(c.distinct_states(), 1);
    assert!(w.cached_keys() <= 16);
    // Constant memory: the OPS ops allocate nothing at all, so the live heap and its peak stay
    // where they were.
    assert_eq!(
        allocations_after, allocations,
        "allocations during {} ops",
        OPS
    );
    assert_eq!(live_after, live, "live heap bytes after {} more ops", OPS);
    assert_eq!(peak_after, peak, "peak heap bytes after {} more ops", OPS);
}
