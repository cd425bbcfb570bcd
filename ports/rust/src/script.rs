//! The script language of SPEC §7 (Java: `ScriptRunner`), with the readings of
//! `docs/spec-notes.md` N1–N15. Reads a line at a time and writes through a buffer, so a script
//! of millions of ops streams.

use crate::core::{Cluster, Op, ProposeResult, ReadResult};
use crate::wire::{fnv1a64, hex};
use crate::workload::Workload;
use std::fmt;
use std::io::{self, BufRead, Write};

/// Why a run stopped early. Every variant prints as one line for standard error.
#[derive(Debug)]
pub enum ScriptError {
    /// A bad line: the program prints `error line L: MESSAGE` and exits 2. The message quotes
    /// input only through [`escape_token`], so it holds printable ASCII only.
    Line { line: u64, message: String },
    /// The script could not be read.
    Input(io::Error),
    /// Standard output could not be written or flushed (spec-notes N14).
    Output(io::Error),
}

/// The exact line of spec-notes N14.
pub const OUTPUT_FAILURE: &str = "error: cannot write to standard output";

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScriptError::Line { line, message } => write!(f, "error line {}: {}", line, message),
            ScriptError::Input(e) => write!(f, "error: cannot read the script: {}", os_reason(e)),
            ScriptError::Output(_) => f.write_str(OUTPUT_FAILURE),
        }
    }
}

/// The OS's text for an I/O error without Rust's ` (os error N)` suffix.
pub fn os_reason(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

/// Tokens longer than this are cut in error messages (spec-notes N12).
pub const ESCAPE_CUT: usize = 64;

/// A token as error lines quote it (spec-notes N12): bytes 0x21..0x7e other than `\` stand as
/// themselves, `\` is `\\`, every other byte is `\xNN`; past 64 bytes the token is cut and
/// `...(N bytes)` gives its full length.
pub fn escape_token(token: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let shown = &token[..token.len().min(ESCAPE_CUT)];
    let mut out = String::with_capacity(shown.len() * 4 + 24);
    for &b in shown {
        match b {
            b'\\' => out.push_str("\\\\"),
            0x21..=0x7e => out.push(b as char),
            _ => {
                out.push_str("\\x");
                out.push(DIGITS[(b >> 4) as usize] as char);
                out.push(DIGITS[(b & 0xf) as usize] as char);
            }
        }
    }
    if token.len() > ESCAPE_CUT {
        out.push_str(&format!("...({} bytes)", token.len()));
    }
    out
}

/// Maps a write or flush failure of the output to [`ScriptError::Output`].
trait OutputResult<T> {
    fn out(self) -> Result<T, ScriptError>;
}

impl<T> OutputResult<T> for io::Result<T> {
    fn out(self) -> Result<T, ScriptError> {
        self.map_err(ScriptError::Output)
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
            match input.read_until(b'\n', &mut line) {
                Ok(0) => break Ok(()),
                Ok(_) => {}
                Err(e) => break Err(ScriptError::Input(e)),
            }
            self.line_no += 1;
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            // One `\r` before the end of the line is dropped, `\n` or not (N1, N13).
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
        let flushed = self.out.flush().out();
        // An output failure outranks the line error: what was printed before it is lost.
        match (result, flushed) {
            (Err(e @ ScriptError::Output(_)), _) => Err(e),
            (_, Err(e)) => Err(e),
            (result, Ok(())) => result,
        }
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
                escape_token(t)
            )),
        }
    }

    /// The one number argument of `command`.
    fn number_arg(&self, command: &str, args: &[&[u8]]) -> Result<u64, ScriptError> {
        self.arity(command, args, 1)?;
        self.number(args[0])
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
            ProposeResult::Committed(i) => writeln!(self.out, "committed {}", i).out(),
            ProposeResult::Rejected => self.out.write_all(b"rejected\n").out(),
        }
    }

    fn execute(&mut self, tokens: &[&[u8]]) -> Result<(), ScriptError> {
        let args = &tokens[1..];
        // Commands are compared as bytes (N11); a known command's name is ASCII.
        let command: &'static str = match tokens[0] {
            b"cluster" => "cluster",
            b"seed" => "seed",
            b"keys" => "keys",
            b"ops" => "ops",
            b"put" => "put",
            b"del" => "del",
            b"noop" => "noop",
            b"get" => "get",
            b"partition" => "partition",
            b"heal" => "heal",
            b"leader" => "leader",
            b"replica" => "replica",
            b"snapshot" => "snapshot",
            b"digest" => "digest",
            other => return self.error(format!("unknown command '{}'", escape_token(other))),
        };
        match command {
            "cluster" => {
                let n = self.number_arg(command, args)?;
                if !(1..=255).contains(&n) {
                    return self.error(format!("cluster size {} out of range 1..255", n));
                }
                self.cluster = Some(Cluster::new(n as usize).expect("size checked"));
            }
            "seed" => {
                let s = self.number_arg(command, args)?;
                self.workload.set_seed(s);
            }
            "keys" => {
                let k = self.number_arg(command, args)?;
                if k == 0 {
                    return self.error("key space 0 out of range (must be >= 1)".to_string());
                }
                self.workload.set_key_space(k);
            }
            "ops" => {
                let m = self.number_arg(command, args)?;
                self.need_cluster(command)?;
                // N15: what earlier lines printed is out before a long run starts.
                self.out.flush().out()?;
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
                )
                .out()?;
            }
            "put" => {
                self.arity(command, args, 2)?;
                self.need_cluster(command)?;
                let op = self.op(Op::put(args[0], args[1]))?;
                let r = self.need_cluster(command)?.propose(op);
                self.print_propose(r)?;
            }
            "del" => {
                self.arity(command, args, 1)?;
                self.need_cluster(command)?;
                let op = self.op(Op::del(args[0]))?;
                let r = self.need_cluster(command)?.propose(op);
                self.print_propose(r)?;
            }
            "noop" => {
                self.arity(command, args, 0)?;
                let r = self.need_cluster(command)?.propose(Op::noop());
                self.print_propose(r)?;
            }
            "get" => {
                self.arity(command, args, 1)?;
                let text = match self.need_cluster(command)?.read(args[0]) {
                    ReadResult::Value(v) => format!("value {}\n", hex(&v)),
                    ReadResult::Missing => "missing\n".to_string(),
                    ReadResult::Rejected => "rejected\n".to_string(),
                };
                self.out.write_all(text.as_bytes()).out()?;
            }
            "partition" => {
                let raw: Vec<u64> = args
                    .iter()
                    .map(|a| self.number(a))
                    .collect::<Result<_, _>>()?;
                self.need_cluster(command)?;
                for &id in &raw {
                    self.id(id)?;
                }
                self.need_cluster(command)?
                    .partition(&raw)
                    .expect("ids checked");
            }
            "heal" => {
                self.arity(command, args, 0)?;
                self.need_cluster(command)?.heal();
            }
            "leader" => {
                self.arity(command, args, 0)?;
                let c = self.need_cluster(command)?;
                let (l, v) = (c.leader(), c.view());
                writeln!(self.out, "leader {} view={}", l, v).out()?;
            }
            "replica" => {
                let raw = self.number_arg(command, args)?;
                self.need_cluster(command)?;
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
                )
                .out()?;
            }
            "snapshot" => {
                let raw = self.number_arg(command, args)?;
                self.need_cluster(command)?;
                let id = self.id(raw)?;
                let bytes = self
                    .cluster
                    .as_ref()
                    .expect("checked above")
                    .replica(id)
                    .dump_state();
                let text = format!("snapshot {} {}\n", id, hex(&bytes));
                self.out.write_all(text.as_bytes()).out()?;
            }
            "digest" => {
                self.arity(command, args, 0)?;
                let d = self.need_cluster(command)?.digest();
                writeln!(self.out, "digest {}", fnv1a64::to_hex(d)).out()?;
            }
            _ => unreachable!("every known command is matched above"),
        }
        Ok(())
    }
}
