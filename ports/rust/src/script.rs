//! The script language of SPEC §7 (Java: `ScriptRunner`), with the readings of
//! `docs/spec-notes.md` N1–N11. Reads a line at a time and writes through a buffer, so a script
//! of millions of ops streams.

use crate::core::{Cluster, Op, ProposeResult, ReadResult};
use crate::wire::{fnv1a64, hex};
use crate::workload::Workload;
use std::fmt;
use std::io::{self, BufRead, Write};

/// A bad line: the run stops; the program prints `error line L: MESSAGE` and exits 2.
#[derive(Debug)]
pub enum ScriptError {
    Line { line: u64, message: String },
    Io(io::Error),
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScriptError::Line { line, message } => write!(f, "error line {}: {}", line, message),
            ScriptError::Io(e) => write!(f, "i/o error: {}", e),
        }
    }
}

impl From<io::Error> for ScriptError {
    fn from(e: io::Error) -> Self {
        ScriptError::Io(e)
    }
}

pub struct ScriptRunner<W: Write> {
    out: W,
    workload: Workload,
    cluster: Option<Cluster>, // None until the first `cluster` line
    line_no: u64,
}

/// Splits on spaces and tabs only (spec-notes N1).
pub fn tokenize(line: &[u8]) -> Vec<&[u8]> {
    line.split(|&b| b == b' ' || b == b'\t')
        .filter(|t| !t.is_empty())
        .collect()
}

/// Decimal digits, or `0x` and hex digits of either case; at most 2^64 − 1 (spec-notes N2).
pub fn parse_u64(t: &[u8]) -> Option<u64> {
    let (digits, radix) = if t.len() > 2 && t[0] == b'0' && t[1] == b'x' {
        (&t[2..], 16)
    } else {
        (t, 10)
    };
    if digits.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        let d = (c as char).to_digit(radix)? as u64;
        v = v.checked_mul(radix as u64)?.checked_add(d)?;
    }
    Some(v)
}

impl<W: Write> ScriptRunner<W> {
    pub fn new(out: W) -> ScriptRunner<W> {
        ScriptRunner {
            out,
            workload: Workload::default(),
            cluster: None,
            line_no: 0,
        }
    }

    pub fn cluster(&self) -> Option<&Cluster> {
        self.cluster.as_ref()
    }

    /// Runs the script to its end or its first bad line; output is flushed either way.
    pub fn run<R: BufRead>(&mut self, mut input: R) -> Result<(), ScriptError> {
        let mut line = Vec::new();
        let result = loop {
            line.clear();
            if input.read_until(b'\n', &mut line)? == 0 {
                break Ok(());
            }
            self.line_no += 1;
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let tokens = tokenize(&line);
            if tokens.is_empty() || tokens[0][0] == b'#' {
                continue;
            }
            if let Err(e) = self.execute(&tokens) {
                break Err(e);
            }
        };
        self.out.flush()?;
        result
    }

    fn error<T>(&self, message: String) -> Result<T, ScriptError> {
        Err(ScriptError::Line {
            line: self.line_no,
            message,
        })
    }

    fn arity(&self, command: &str, args: &[&[u8]], expected: usize) -> Result<(), ScriptError> {
        if args.len() != expected {
            let noun = if expected == 1 {
                "argument"
            } else {
                "arguments"
            };
            return self.error(format!(
                "'{}' expects {} {}, got {}",
                command,
                expected,
                noun,
                args.len()
            ));
        }
        Ok(())
    }

    fn number(&self, t: &[u8]) -> Result<u64, ScriptError> {
        match parse_u64(t) {
            Some(v) => Ok(v),
            None => self.error(format!(
                "invalid number '{}' (want decimal or 0x hex, at most 2^64-1)",
                String::from_utf8_lossy(t)
            )),
        }
    }

    fn numbers(
        &self,
        command: &str,
        args: &[&[u8]],
        expected: usize,
    ) -> Result<Vec<u64>, ScriptError> {
        self.arity(command, args, expected)?;
        args.iter().map(|a| self.number(a)).collect()
    }

    fn need_cluster(&mut self, command: &str) -> Result<&mut Cluster, ScriptError> {
        if self.cluster.is_none() {
            return self.error(format!("'{}' before the first 'cluster'", command));
        }
        Ok(self.cluster.as_mut().expect("checked above"))
    }

    fn id(&self, raw: u64) -> Result<usize, ScriptError> {
        let n = self.cluster.as_ref().expect("cluster checked first").size();
        if raw >= n as u64 {
            return self.error(format!("replica id {} out of range 0..{}", raw, n - 1));
        }
        Ok(raw as usize)
    }

    fn op(&self, made: Result<Op, crate::core::OpError>) -> Result<Op, ScriptError> {
        made.or_else(|e| self.error(e.0))
    }

    fn print_propose(&mut self, r: ProposeResult) -> Result<(), ScriptError> {
        match r {
            ProposeResult::Committed(i) => writeln!(self.out, "committed {}", i)?,
            ProposeResult::Rejected => self.out.write_all(b"rejected\n")?,
        }
        Ok(())
    }

    fn execute(&mut self, tokens: &[&[u8]]) -> Result<(), ScriptError> {
        let command = String::from_utf8_lossy(tokens[0]).into_owned();
        let args = &tokens[1..];
        match command.as_str() {
            "cluster" => {
                let n = self.numbers(&command, args, 1)?[0];
                if !(1..=255).contains(&n) {
                    return self.error(format!("cluster size {} out of range 1..255", n));
                }
                self.cluster = Some(Cluster::new(n as usize).expect("size checked"));
            }
            "seed" => {
                let s = self.numbers(&command, args, 1)?[0];
                self.workload.set_seed(s);
            }
            "keys" => {
                let k = self.numbers(&command, args, 1)?[0];
                if k == 0 {
                    return self.error("key space 0 out of range (must be >= 1)".to_string());
                }
                self.workload.set_key_space(k);
            }
            "ops" => {
                let m = self.numbers(&command, args, 1)?[0];
                self.need_cluster(&command)?;
                let (mut committed, mut rejected) = (0u64, 0u64);
                let cluster = self.cluster.as_mut().expect("checked above");
                for _ in 0..m {
                    match cluster.propose(self.workload.next_op()) {
                        ProposeResult::Committed(_) => committed += 1,
                        ProposeResult::Rejected => rejected += 1,
                    }
                }
                writeln!(
                    self.out,
                    "ops committed={} rejected={}",
                    committed, rejected
                )?;
            }
            "put" => {
                self.arity(&command, args, 2)?;
                self.need_cluster(&command)?;
                let op = self.op(Op::put(args[0], args[1]))?;
                let r = self.need_cluster(&command)?.propose(op);
                self.print_propose(r)?;
            }
            "del" => {
                self.arity(&command, args, 1)?;
                self.need_cluster(&command)?;
                let op = self.op(Op::del(args[0]))?;
                let r = self.need_cluster(&command)?.propose(op);
                self.print_propose(r)?;
            }
            "noop" => {
                self.arity(&command, args, 0)?;
                let r = self.need_cluster(&command)?.propose(Op::NoOp);
                self.print_propose(r)?;
            }
            "get" => {
                self.arity(&command, args, 1)?;
                match self.need_cluster(&command)?.read(args[0]) {
                    ReadResult::Value(v) => {
                        self.out.write_all(b"value ")?;
                        self.out.write_all(hex(&v).as_bytes())?;
                        self.out.write_all(b"\n")?;
                    }
                    ReadResult::Missing => self.out.write_all(b"missing\n")?,
                    ReadResult::Rejected => self.out.write_all(b"rejected\n")?,
                }
            }
            "partition" => {
                let raw: Vec<u64> = args
                    .iter()
                    .map(|a| self.number(a))
                    .collect::<Result<_, _>>()?;
                self.need_cluster(&command)?;
                for &id in &raw {
                    self.id(id)?;
                }
                self.need_cluster(&command)?
                    .partition(&raw)
                    .expect("ids checked");
            }
            "heal" => {
                self.arity(&command, args, 0)?;
                self.need_cluster(&command)?.heal();
            }
            "leader" => {
                self.arity(&command, args, 0)?;
                let c = self.need_cluster(&command)?;
                let (l, v) = (c.leader(), c.view());
                writeln!(self.out, "leader {} view={}", l, v)?;
            }
            "replica" => {
                let raw = self.numbers(&command, args, 1)?[0];
                self.need_cluster(&command)?;
                let id = self.id(raw)?;
                let c = self.cluster.as_ref().expect("checked above");
                let r = c.replica(id);
                writeln!(
                    self.out,
                    "replica {} commit={} keys={} partitioned={}",
                    id,
                    r.commit_index(),
                    r.key_count(),
                    c.is_partitioned(id)
                )?;
            }
            "snapshot" => {
                let raw = self.numbers(&command, args, 1)?[0];
                self.need_cluster(&command)?;
                let id = self.id(raw)?;
                let bytes = self
                    .cluster
                    .as_ref()
                    .expect("checked above")
                    .replica(id)
                    .dump_state();
                write!(self.out, "snapshot {} ", id)?;
                self.out.write_all(hex(&bytes).as_bytes())?;
                self.out.write_all(b"\n")?;
            }
            "digest" => {
                self.arity(&command, args, 0)?;
                let d = self.need_cluster(&command)?.digest();
                writeln!(self.out, "digest {}", fnv1a64::to_hex(d))?;
            }
            _ => return self.error(format!("unknown command '{}'", command)),
        }
        Ok(())
    }
}
