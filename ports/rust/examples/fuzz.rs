//! A seeded mutation fuzzer on std only (no nightly, no crates):
//!
//!   cargo run --release --example fuzz -- --target snapshot|oprecord|script \
//!       --iterations N --seed S [--corpus DIR] [--crashes DIR]
//!   cargo run --release --example fuzz -- --target T --replay FILE
//!
//! Each iteration takes an input from the seed corpus (`fuzz/corpus/<target>/`) or from the
//! inputs it found interesting so far, mutates it (bit flips, byte sets, inserts, deletes,
//! truncation, splicing, chunk copies, length-field tweaks, CRC repair, dictionary tokens), and
//! checks the target's property:
//!
//! - `snapshot`: `load_state` either accepts, and the decoded state re-encodes to exactly the
//!   input, or refuses with its own error naming an offset within the input and a rule, the same
//!   one `validate_snapshot` gives; `validate_snapshot` allocates at most 1 KiB whatever the
//!   input, and `load_state` nothing larger than the input or its checked entry table.
//! - `oprecord`: `Op::decode_record` either accepts, and the op re-encodes to exactly the input,
//!   or refuses naming an offset within the input; no allocation larger than the input + 1 KiB.
//! - `script`: any bytes either run to the end or stop with `error line L: ...` in printable
//!   ASCII of bounded length; never an output or input error (the output is memory).
//!
//! A panic or a broken property is reported and its input written to the crashes directory, so
//! that `--replay` can run it again. Exit status 1 when anything was found.

use db20::core::Op;
use db20::script::{parse_u64, tokenize, ScriptError, ScriptRunner};
use db20::wire::crc32c::crc32c;
use db20::wire::{load_state, validate_snapshot};
use db20::workload::SplitMix64;
use std::alloc::{GlobalAlloc, Layout, System};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, recording the largest single request while armed.
struct Watch;

static ARMED: AtomicBool = AtomicBool::new(false);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Watch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if ARMED.load(Ordering::Relaxed) {
            LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        }
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if ARMED.load(Ordering::Relaxed) {
            LARGEST.fetch_max(new_size, Ordering::Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Watch = Watch;

/// The largest single allocation `f` made, and its result.
fn watched<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LARGEST.store(0, Ordering::Relaxed);
    ARMED.store(true, Ordering::Relaxed);
    let out = f();
    ARMED.store(false, Ordering::Relaxed);
    (out, LARGEST.load(Ordering::Relaxed))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Target {
    Snapshot,
    OpRecord,
    Script,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Snapshot => "snapshot",
            Target::OpRecord => "oprecord",
            Target::Script => "script",
        }
    }
    fn max_len(self) -> usize {
        match self {
            Target::Snapshot => 1 << 14,
            Target::OpRecord => 1 << 12,
            Target::Script => 1 << 12,
        }
    }
}

/// What one input taught: `Ok(interesting)` (a new outcome class), or the broken property.
type Verdict = Result<bool, String>;

const VALIDATE_ALLOC_LIMIT: usize = 1024;

fn check_snapshot(input: &[u8], outcomes: &mut Outcomes) -> Verdict {
    let (validated, validate_alloc) = watched(|| validate_snapshot(input));
    if validate_alloc > VALIDATE_ALLOC_LIMIT {
        return Err(format!(
            "validate_snapshot allocated {} bytes for {} input bytes",
            validate_alloc,
            input.len()
        ));
    }
    let (loaded, load_alloc) = watched(|| load_state(input));
    match (&validated, &loaded) {
        (Ok(summary), Ok(state)) => {
            let table = summary.entry_count * std::mem::size_of::<(Vec<u8>, Vec<u8>)>();
            if load_alloc > input.len().max(table).max(VALIDATE_ALLOC_LIMIT) {
                return Err(format!(
                    "load_state allocated {} bytes for {} input bytes",
                    load_alloc,
                    input.len()
                ));
            }
            if state.encode() != input {
                return Err("accepted, but does not re-encode to the same bytes".into());
            }
            if state.commit_index != summary.commit_index
                || state.entries.len() != summary.entry_count
                || summary.crc != u32::from_le_bytes(input[input.len() - 4..].try_into().unwrap())
            {
                return Err("validate_snapshot and load_state disagree on an accept".into());
            }
            Ok(outcomes.note(format!("ok entries={}", summary.entry_count.min(8))))
        }
        (Err(v), Err(l)) => {
            if v != l {
                return Err(format!("validate says '{}', load_state '{}'", v, l));
            }
            if load_alloc > VALIDATE_ALLOC_LIMIT {
                return Err(format!("a refusal allocated {} bytes", load_alloc));
            }
            if l.offset > input.len() {
                return Err(format!(
                    "offset {} past {} input bytes",
                    l.offset,
                    input.len()
                ));
            }
            let text = l.to_string();
            let want = format!("offset {}: {}: ", l.offset, l.rule.text());
            if !text.starts_with(&want) || !printable(text.as_bytes()) || text.len() > 300 {
                return Err(format!(
                    "refusal text not of the form '{}...': {:?}",
                    want, text
                ));
            }
            Ok(outcomes.note(format!("{:?} at {}", l.rule, l.offset.min(48))))
        }
        _ => Err("validate_snapshot and load_state disagree on accepting".into()),
    }
}

fn check_oprecord(input: &[u8], outcomes: &mut Outcomes) -> Verdict {
    let (decoded, alloc) = watched(|| Op::decode_record(input));
    if alloc > input.len() + VALIDATE_ALLOC_LIMIT {
        return Err(format!(
            "decode allocated {} bytes for {}",
            alloc,
            input.len()
        ));
    }
    match decoded {
        Ok(op) => {
            if op.encode_record() != input {
                return Err("accepted, but does not re-encode to the same bytes".into());
            }
            Ok(outcomes.note(format!("ok {:?}", op.kind())))
        }
        Err(e) => {
            if e.offset > input.len() {
                return Err(format!(
                    "offset {} past {} input bytes",
                    e.offset,
                    input.len()
                ));
            }
            let text = e.to_string();
            if !text.starts_with(&format!("op record offset {}: ", e.offset))
                || !printable(text.as_bytes())
            {
                return Err(format!("refusal text: {:?}", text));
            }
            // The detail up to its first digit names the kind of refusal.
            let kind: String = e
                .detail
                .chars()
                .take_while(|c| !c.is_ascii_digit())
                .collect();
            Ok(outcomes.note(format!("refused {} {}", e.offset.min(9), kind)))
        }
    }
}

/// Workload ops a script may ask for before the harness skips it (time, not correctness).
const OPS_BUDGET: u64 = 20_000;

fn over_budget(input: &[u8]) -> bool {
    let mut total = 0u64;
    for line in input.split(|&b| b == b'\n') {
        let t = tokenize(line);
        if t.len() == 2 && t[0] == b"ops" {
            total = total.saturating_add(parse_u64(t[1]).unwrap_or(0));
        }
    }
    total > OPS_BUDGET
}

fn check_script(input: &[u8], outcomes: &mut Outcomes) -> Verdict {
    let mut out = Vec::new();
    let result = ScriptRunner::new(&mut out).run(input);
    match result {
        Ok(()) => {
            // The kinds of line printed (first words), as a sorted set.
            let mut kinds: Vec<&[u8]> = out
                .split(|&c| c == b'\n')
                .filter_map(|l| l.split(|&c| c == b' ').next())
                .filter(|w| !w.is_empty())
                .collect();
            kinds.sort();
            kinds.dedup();
            let kinds: Vec<String> = kinds
                .iter()
                .map(|k| String::from_utf8_lossy(k).into_owned())
                .collect();
            Ok(outcomes.note(format!("ok {}", kinds.join(","))))
        }
        Err(ScriptError::Line { message, line }) => {
            let text = format!("error line {}: {}", line, message);
            if !printable(text.as_bytes()) {
                return Err(format!("error line not printable ASCII: {:?}", text));
            }
            if text.len() > 400 {
                return Err(format!("error line of {} bytes", text.len()));
            }
            // The message without its quoted input and numbers names the class of error.
            let class: String = match ["unknown command", "invalid number"]
                .iter()
                .find(|p| message.starts_with(*p))
            {
                Some(p) => p.to_string(),
                None => message.chars().filter(|c| !c.is_ascii_digit()).collect(),
            };
            Ok(outcomes.note(format!("error {}", class)))
        }
        Err(e) => Err(format!("not a line error: {}", e)),
    }
}

fn printable(b: &[u8]) -> bool {
    b.iter().all(|&c| (0x20..=0x7e).contains(&c))
}

/// Outcome classes seen so far; an input that reaches a new one joins the pool.
#[derive(Default)]
struct Outcomes {
    seen: std::collections::BTreeMap<String, u64>,
}

impl Outcomes {
    fn note(&mut self, class: String) -> bool {
        let n = self.seen.entry(class).or_insert(0);
        *n += 1;
        *n == 1
    }
}

const SCRIPT_WORDS: &[&[u8]] = &[
    b"cluster ",
    b"seed ",
    b"keys ",
    b"ops ",
    b"put ",
    b"del ",
    b"noop",
    b"get ",
    b"partition ",
    b"heal",
    b"leader",
    b"replica ",
    b"snapshot ",
    b"digest",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    b"#",
    b"0x",
    b"0",
    b"1",
    b"2",
    b"3",
    b"4",
    b"5",
    b"255",
    b"256",
    b"18446744073709551615",
    b"18446744073709551616",
    b"\\",
    b"\x00",
    b"\xff",
    b"\x1b",
    b"k1",
];

const INTERESTING_U32: &[u32] = &[
    0,
    1,
    2,
    4,
    8,
    9,
    0x7f,
    0x80,
    0xff,
    0x100,
    65_535,
    65_536,
    1_048_576,
    1_048_577,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
];

struct Mutator {
    g: SplitMix64,
}

impl Mutator {
    fn below(&mut self, n: usize) -> usize {
        (self.g.next() % n.max(1) as u64) as usize
    }

    fn mutate(&mut self, target: Target, input: &[u8], pool: &[Vec<u8>]) -> Vec<u8> {
        let mut b = input.to_vec();
        let rounds = 1 + self.below(4);
        for _ in 0..rounds {
            match self.below(11) {
                0 if !b.is_empty() => {
                    let bit = self.below(b.len() * 8);
                    b[bit / 8] ^= 1 << (bit % 8);
                }
                1 if !b.is_empty() => {
                    let at = self.below(b.len());
                    b[at] = self.g.next() as u8;
                }
                2 => {
                    let at = self.below(b.len() + 1);
                    let n = 1 + self.below(8);
                    for _ in 0..n {
                        b.insert(at, self.g.next() as u8);
                    }
                }
                3 if !b.is_empty() => {
                    let at = self.below(b.len());
                    let n = 1 + self.below((b.len() - at).min(16));
                    b.drain(at..at + n);
                }
                4 => {
                    let keep = self.below(b.len() + 1);
                    b.truncate(keep);
                }
                5 if !pool.is_empty() => {
                    // Splice: our head, another input's tail.
                    let other = &pool[self.below(pool.len())];
                    let cut = self.below(b.len() + 1);
                    let from = self.below(other.len() + 1);
                    b.truncate(cut);
                    b.extend_from_slice(&other[from..]);
                }
                6 if b.len() >= 2 => {
                    // Copy a chunk of the input over or into itself.
                    let from = self.below(b.len());
                    let n = 1 + self.below((b.len() - from).min(32));
                    let chunk = b[from..from + n].to_vec();
                    let at = self.below(b.len() + 1);
                    if self.g.next() & 1 == 0 {
                        b.splice(at..at, chunk);
                    } else {
                        let end = (at + n).min(b.len());
                        b.splice(at..end, chunk);
                    }
                }
                7 if b.len() >= 4 => {
                    // Length-field tweak: an interesting u32, or a nudge of the one there.
                    let at = self.below(b.len() - 3);
                    let old = u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
                    let v = match self.below(3) {
                        0 => INTERESTING_U32[self.below(INTERESTING_U32.len())],
                        1 => old.wrapping_add(1 + self.below(4) as u32),
                        _ => old.wrapping_sub(1 + self.below(4) as u32),
                    };
                    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
                }
                8 if target == Target::Script => {
                    let w = SCRIPT_WORDS[self.below(SCRIPT_WORDS.len())];
                    let at = self.below(b.len() + 1);
                    b.splice(at..at, w.iter().copied());
                }
                9 if target == Target::Script && !b.is_empty() => {
                    // Repeat a line: scripts are lines, and repeats reach new states.
                    let lines: Vec<&[u8]> = b.split_inclusive(|&c| c == b'\n').collect();
                    let line = lines[self.below(lines.len())].to_vec();
                    let at = self.below(b.len() + 1);
                    b.splice(at..at, line);
                }
                _ => {}
            }
        }
        b.truncate(target.max_len());
        // Repair the CRC half the time, so a mutation inside the entries reaches the checks
        // of order and limits, and an accept, rather than stopping at the CRC.
        if target == Target::Snapshot && b.len() >= 8 && self.g.next() & 1 == 0 {
            let at = b.len() - 4;
            let crc = crc32c(&b[..at]);
            b[at..].copy_from_slice(&crc.to_le_bytes());
        }
        b
    }
}

fn check(target: Target, input: &[u8], outcomes: &mut Outcomes) -> Verdict {
    let r = panic::catch_unwind(AssertUnwindSafe(|| match target {
        Target::Snapshot => check_snapshot(input, outcomes),
        Target::OpRecord => check_oprecord(input, outcomes),
        Target::Script => check_script(input, outcomes),
    }));
    ARMED.store(false, Ordering::Relaxed);
    match r {
        Ok(v) => v,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "non-string panic".into());
            Err(format!("panic: {}", msg))
        }
    }
}

fn read_corpus(dir: &Path) -> Vec<Vec<u8>> {
    let mut names: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(d) => d.filter_map(|e| Some(e.ok()?.path())).collect(),
        Err(e) => {
            eprintln!("fuzz: cannot read corpus {}: {}", dir.display(), e);
            std::process::exit(2);
        }
    };
    names.sort();
    names.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn usage() -> ! {
    eprintln!(
        "usage: fuzz --target snapshot|oprecord|script [--iterations N] [--seed S] \
         [--corpus DIR] [--crashes DIR] [--replay FILE]"
    );
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut target = None;
    let mut iterations: u64 = 100_000;
    let mut seed: u64 = 1;
    let mut corpus: Option<PathBuf> = None;
    let mut crashes = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/crashes"));
    let mut replay: Option<PathBuf> = None;
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_else(|| usage());
        match args[i].as_str() {
            "--target" => {
                target = Some(match value.as_str() {
                    "snapshot" => Target::Snapshot,
                    "oprecord" => Target::OpRecord,
                    "script" => Target::Script,
                    _ => usage(),
                })
            }
            "--iterations" => iterations = value.parse().unwrap_or_else(|_| usage()),
            "--seed" => seed = value.parse().unwrap_or_else(|_| usage()),
            "--corpus" => corpus = Some(PathBuf::from(value)),
            "--crashes" => crashes = PathBuf::from(value),
            "--replay" => replay = Some(PathBuf::from(value)),
            _ => usage(),
        }
        i += 2;
    }
    let target = target.unwrap_or_else(|| usage());
    // Panics are caught and reported with their input; the default hook would print each one.
    panic::set_hook(Box::new(|_| {}));
    let mut outcomes = Outcomes::default();

    if let Some(file) = replay {
        let input = std::fs::read(&file).unwrap_or_else(|e| {
            eprintln!("fuzz: cannot read {}: {}", file.display(), e);
            std::process::exit(2);
        });
        match check(target, &input, &mut outcomes) {
            Ok(_) => println!(
                "replay {}: property holds ({:?})",
                file.display(),
                outcomes.seen.keys().next()
            ),
            Err(why) => {
                println!("replay {}: FOUND {}", file.display(), why);
                std::process::exit(1);
            }
        }
        return;
    }

    let corpus = corpus.unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus")).join(target.name())
    });
    let seeds = read_corpus(&corpus);
    if seeds.is_empty() {
        eprintln!("fuzz: empty corpus {}", corpus.display());
        std::process::exit(2);
    }
    let mut pool: Vec<Vec<u8>> = Vec::new();
    let mut found = 0u64;
    let mut skipped = 0u64;
    for s in &seeds {
        if let Err(why) = check(target, s, &mut outcomes) {
            found += 1;
            println!("seed input FOUND {}", why);
        }
        pool.push(s.clone());
    }
    let mut m = Mutator {
        g: SplitMix64::new(seed),
    };
    let start = Instant::now();
    let mut run = 0u64;
    for n in 0..iterations {
        let base = pool[m.below(pool.len())].clone();
        let input = m.mutate(target, &base, &pool);
        if target == Target::Script && over_budget(&input) {
            skipped += 1;
            continue;
        }
        run += 1;
        match check(target, &input, &mut outcomes) {
            Ok(true) => {
                // Bounded, so the pool stays small and the loop stays fast.
                if pool.len() < 4096 {
                    pool.push(input);
                }
            }
            Ok(false) => {}
            Err(why) => {
                found += 1;
                let _ = std::fs::create_dir_all(&crashes);
                let path = crashes.join(format!("{}-seed{}-iter{}.bin", target.name(), seed, n));
                let _ = std::fs::write(&path, &input);
                println!(
                    "iteration {} FOUND {} (input written to {})",
                    n,
                    why,
                    path.display()
                );
                if found >= 20 {
                    println!("stopping after 20 findings");
                    break;
                }
            }
        }
    }
    println!(
        "target={} seed={} inputs_run={} skipped_over_ops_budget={} findings={} outcome_classes={} pool={} seconds={:.1}",
        target.name(),
        seed,
        run,
        skipped,
        found,
        outcomes.seen.len(),
        pool.len(),
        start.elapsed().as_secs_f64()
    );
    for (class, count) in &outcomes.seen {
        println!("  {:>10}  {}", count, class);
    }
    if found > 0 {
        std::process::exit(1);
    }
}
