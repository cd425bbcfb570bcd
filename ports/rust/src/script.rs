//! The script language of SPEC §7 (Java: `ScriptRunner`), with the readings of
//! `docs/spec-notes.md` N1–N15. Reads a line at a time and writes through a buffer, so a script
//! of millions of ops streams.

use crate::core::{Cluster, Op, ProposeResult, ReadResult};
use crate::wire::snapshot_format::{MAX_KEY_LEN, MAX_VALUE_LEN};
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

/// A command word or a number holds at most this many bytes; a longer one is unknown or
/// invalid (spec-notes N17).
pub const MAX_WORD_LEN: usize = ESCAPE_CUT;

/// What [`TokenReader::token`] found (Java: `TokenReader`'s return values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// The line has no more tokens; its end has been read.
    EndOfLine,
    /// The token passed its limit; the rest of the line is unread.
    OverLimit,
    /// A token of this full length; its first `keep` bytes were kept.
    Length(u64),
}

/// Reads a script as lines of tokens, one token at a time and each within a bound (N17): only
/// a token's first `keep` bytes are held, the rest is counted, and a token that passes its limit
/// is refused as soon as it does. Memory is the input's buffer plus the kept bytes.
struct TokenReader<R: BufRead> {
    input: R,
    line_ended: bool,
}

impl<R: BufRead> TokenReader<R> {
    fn new(input: R) -> Self {
        TokenReader {
            input,
            line_ended: true,
        }
    }

    /// Starts the next line, skipping what is left of the current one; false at end of input.
    fn next_line(&mut self) -> io::Result<bool> {
        if !self.line_ended {
            self.skip_line()?;
        }
        if self.input.fill_buf()?.is_empty() {
            return Ok(false);
        }
        self.line_ended = false;
        Ok(true)
    }

    /// Skips the rest of the current line, whatever its length, holding none of it.
    fn skip_line(&mut self) -> io::Result<()> {
        while !self.line_ended {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                self.line_ended = true;
                break;
            }
            match buf.iter().position(|&c| c == b'\n') {
                Some(p) => {
                    self.input.consume(p + 1);
                    self.line_ended = true;
                }
                None => {
                    let n = buf.len();
                    self.input.consume(n);
                }
            }
        }
        Ok(())
    }

    /// At a `\r`: consumes it, and returns whether a `\n` (consumed too) or the end of the
    /// input follows, i.e. whether it ends the line (N1, N13).
    fn cr_ends_line(&mut self) -> io::Result<bool> {
        self.input.consume(1);
        let buf = self.input.fill_buf()?;
        if buf.is_empty() {
            return Ok(true);
        }
        if buf[0] == b'\n' {
            self.input.consume(1);
            return Ok(true);
        }
        Ok(false)
    }

    /// Skips blanks, then reads one token, keeping its first `keep` bytes in `into` (cleared).
    fn token(&mut self, into: &mut Vec<u8>, keep: usize, limit: u64) -> io::Result<Token> {
        into.clear();
        let mut n: u64 = 0;
        loop {
            if self.line_ended {
                return Ok(Token::EndOfLine);
            }
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                self.line_ended = true;
                return Ok(Token::EndOfLine);
            }
            match buf[0] {
                b' ' | b'\t' => self.input.consume(1),
                b'\n' => {
                    self.input.consume(1);
                    self.line_ended = true;
                    return Ok(Token::EndOfLine);
                }
                b'\r' => {
                    if self.cr_ends_line()? {
                        self.line_ended = true;
                        return Ok(Token::EndOfLine);
                    }
                    // The '\r' (consumed) is the token's first byte.
                    n = 1;
                    if keep > 0 {
                        into.push(b'\r');
                    }
                    break;
                }
                _ => break,
            }
        }
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                self.line_ended = true;
                return Ok(Token::Length(n));
            }
            let p = buf
                .iter()
                .position(|&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(buf.len());
            if p as u64 > limit - n {
                let upto = (limit - n) as usize + 1;
                self.input.consume(upto);
                return Ok(Token::OverLimit);
            }
            let take = p.min(keep - into.len());
            into.extend_from_slice(&buf[..take]);
            n += p as u64;
            let stop = buf.get(p).copied();
            self.input.consume(p);
            match stop {
                None => {}
                Some(b' ') | Some(b'\t') => return Ok(Token::Length(n)),
                Some(b'\n') => {
                    self.input.consume(1);
                    self.line_ended = true;
                    return Ok(Token::Length(n));
                }
                Some(_) => {
                    if self.cr_ends_line()? {
                        self.line_ended = true;
                        return Ok(Token::Length(n));
                    }
                    // A '\r' not at the end of the line is a token byte.
                    if n >= limit {
                        return Ok(Token::OverLimit);
                    }
                    if into.len() < keep {
                        into.push(b'\r');
                    }
                    n += 1;
                }
            }
        }
    }
}

/// A token of `full` bytes of which `kept` (the whole token, or at least 64 bytes) are at hand,
/// quoted as [`escape_token`] quotes it.
fn escape_kept(kept: &[u8], full: u64) -> String {
    if kept.len() as u64 == full {
        return escape_token(kept);
    }
    assert!(
        kept.len() >= ESCAPE_CUT,
        "kept {} of {} bytes",
        kept.len(),
        full
    );
    let shown = escape_token(&kept[..ESCAPE_CUT]);
    format!("{}...({} bytes)", shown, full)
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

/// The commands of SPEC §7 (Java: `ScriptRunner.Command`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    Cluster,
    Seed,
    Keys,
    Ops,
    Put,
    Del,
    Noop,
    Get,
    Partition,
    Heal,
    Leader,
    Replica,
    Snapshot,
    Digest,
}

/// One row of [`COMMANDS`]: a command's name, how many arguments it takes (`None`: any
/// number), whether they are all numbers, and whether it needs a cluster.
struct CommandSpec {
    command: Command,
    name: &'static str,
    arity: Option<usize>,
    numeric_args: bool,
    needs_cluster: bool,
}

const fn spec(
    command: Command,
    name: &'static str,
    arity: Option<usize>,
    numeric_args: bool,
    needs_cluster: bool,
) -> CommandSpec {
    CommandSpec {
        command,
        name,
        arity,
        numeric_args,
        needs_cluster,
    }
}

/// Every command of SPEC §7 in one table (Java: `ScriptRunner.Command`). The checks of
/// spec-notes N3 run from this table in its order: unknown command, arity, numbers, cluster.
const COMMANDS: [CommandSpec; 14] = [
    spec(Command::Cluster, "cluster", Some(1), true, false),
    spec(Command::Seed, "seed", Some(1), true, false),
    spec(Command::Keys, "keys", Some(1), true, false),
    spec(Command::Ops, "ops", Some(1), true, true),
    spec(Command::Put, "put", Some(2), false, true),
    spec(Command::Del, "del", Some(1), false, true),
    spec(Command::Noop, "noop", Some(0), false, true),
    spec(Command::Get, "get", Some(1), false, true),
    spec(Command::Partition, "partition", None, true, true),
    spec(Command::Heal, "heal", Some(0), false, true),
    spec(Command::Leader, "leader", Some(0), false, true),
    spec(Command::Replica, "replica", Some(1), true, true),
    spec(Command::Snapshot, "snapshot", Some(1), true, true),
    spec(Command::Digest, "digest", Some(0), false, true),
];

pub struct ScriptRunner<W: Write> {
    out: W,
    workload: Workload,
    cluster: Option<Cluster>, // None until the first `cluster` line
    line_no: u64,
    // The current line: its command word and the arguments its command uses (N17's bounds).
    word: Vec<u8>,
    args: [Vec<u8>; 2],
    arg_len: [u64; 2],
    argc: u64,
    // `partition`'s ids, folded as they are read: the set and the first id out of range.
    partition_ids: [bool; 255],
    first_bad_id: Option<u64>,
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
            word: Vec::new(),
            args: [Vec::new(), Vec::new()],
            arg_len: [0; 2],
            argc: 0,
            partition_ids: [false; 255],
            first_bad_id: None,
        }
    }

    pub fn cluster(&self) -> Option<&Cluster> {
        self.cluster.as_ref()
    }

    /// Runs the script to its end or its first bad line; output is flushed either way.
    pub fn run<R: BufRead>(&mut self, input: R) -> Result<(), ScriptError> {
        let mut reader = TokenReader::new(input);
        let result = loop {
            match reader.next_line() {
                Ok(false) => break Ok(()),
                Ok(true) => {}
                Err(e) => break Err(ScriptError::Input(e)),
            }
            self.line_no += 1;
            let mut word = std::mem::take(&mut self.word);
            let read = reader.token(&mut word, MAX_WORD_LEN, u64::MAX);
            let step = match read {
                Err(e) => Err(ScriptError::Input(e)),
                Ok(Token::EndOfLine) => Ok(()),
                Ok(_) if word[0] == b'#' => reader.skip_line().map_err(ScriptError::Input),
                Ok(Token::Length(n)) => self.execute(&mut reader, &word, n),
                Ok(Token::OverLimit) => unreachable!("a command word has no limit"),
            };
            self.word = word;
            if let Err(e) = step {
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

    fn arity(&self, command: &str, expected: usize) -> Result<(), ScriptError> {
        if self.argc != expected as u64 {
            let noun = if expected == 1 {
                "argument"
            } else {
                "arguments"
            };
            return self.error(format!(
                "'{}' expects {} {}, got {}",
                command, expected, noun, self.argc
            ));
        }
        Ok(())
    }

    /// A number token of full length `full` with its kept bytes `t`: over 64 bytes it is
    /// invalid (N17).
    fn number(&self, t: &[u8], full: u64) -> Result<u64, ScriptError> {
        let parsed = if full > MAX_WORD_LEN as u64 {
            None
        } else {
            parse_u64(t)
        };
        match parsed {
            Some(v) => Ok(v),
            None => self.error(format!(
                "invalid number '{}' (want decimal or 0x hex, at most 2^64-1)",
                escape_kept(t, full)
            )),
        }
    }

    /// Reads the rest of the line as `command`'s arguments, each within its bound (N17): the
    /// key of `put` and `del` is refused past 65,535 bytes and the value of `put` past 1 MiB as
    /// soon as the bound is passed; the key of `get` is kept to 65,536 bytes (a longer key is
    /// missing whatever follows); a number is kept to 64 bytes; arguments past the arity are
    /// only counted; `partition`'s ids are folded into a set as they come.
    fn read_args<R: BufRead>(
        &mut self,
        reader: &mut TokenReader<R>,
        command: &str,
        arity: usize,
    ) -> Result<(), ScriptError> {
        self.argc = 0;
        self.first_bad_id = None;
        self.partition_ids = [false; 255];
        let mut skipped = Vec::new();
        loop {
            let slot = if (self.argc as usize) < arity && self.argc < 2 {
                Some(self.argc as usize)
            } else {
                None
            };
            let (keep, limit) = match (command, slot) {
                ("partition", _) => (MAX_WORD_LEN, u64::MAX),
                ("put", Some(0)) | ("del", Some(0)) => (MAX_KEY_LEN, MAX_KEY_LEN as u64),
                ("put", Some(1)) => (MAX_VALUE_LEN, MAX_VALUE_LEN as u64),
                ("get", Some(0)) => (MAX_KEY_LEN + 1, u64::MAX),
                (_, Some(_)) => (MAX_WORD_LEN, u64::MAX),
                (_, None) => (0, u64::MAX),
            };
            let into = match slot {
                Some(i) if command != "partition" => &mut self.args[i],
                _ if command == "partition" => &mut self.args[0],
                _ => &mut skipped,
            };
            let token = reader
                .token(into, keep, limit)
                .map_err(ScriptError::Input)?;
            match token {
                Token::EndOfLine => return Ok(()),
                Token::OverLimit => {
                    return self.error(if slot == Some(0) {
                        format!("key length exceeds the limit of {} bytes", MAX_KEY_LEN)
                    } else {
                        format!("value length exceeds the limit of {} bytes", MAX_VALUE_LEN)
                    })
                }
                Token::Length(n) => {
                    self.argc += 1;
                    if command == "partition" {
                        // Arity never fails for partition: the first bad number is the error.
                        let id = self.number(&self.args[0], n)?;
                        if let Some(c) = self.cluster.as_ref() {
                            if id >= c.size() as u64 {
                                self.first_bad_id.get_or_insert(id);
                            } else {
                                self.partition_ids[id as usize] = true;
                            }
                        }
                    } else if let Some(i) = slot {
                        self.arg_len[i] = n;
                    }
                }
            }
        }
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

    fn execute<R: BufRead>(
        &mut self,
        reader: &mut TokenReader<R>,
        word: &[u8],
        word_len: u64,
    ) -> Result<(), ScriptError> {
        // Commands are compared as bytes (N11); a known command's name is ASCII.
        let spec = match COMMANDS.iter().find(|c| c.name.as_bytes() == word) {
            Some(c) if word_len <= MAX_WORD_LEN as u64 => c,
            _ => return self.error(format!("unknown command '{}'", escape_kept(word, word_len))),
        };
        let command = spec.name;
        self.read_args(reader, command, spec.arity.unwrap_or(usize::MAX))?;
        if let Some(arity) = spec.arity {
            self.arity(command, arity)?;
        }
        let mut n = [0u64; 2];
        if spec.numeric_args && spec.command != Command::Partition {
            for (i, slot) in n.iter_mut().enumerate().take(spec.arity.unwrap_or(0)) {
                *slot = self.number(&self.args[i], self.arg_len[i])?;
            }
        }
        if spec.needs_cluster {
            self.need_cluster(command)?;
        }
        match spec.command {
            Command::Cluster => {
                if !(1..=255).contains(&n[0]) {
                    return self.error(format!("cluster size {} out of range 1..255", n[0]));
                }
                self.cluster = Some(Cluster::new(n[0] as usize).expect("size checked"));
            }
            Command::Seed => self.workload.set_seed(n[0]),
            Command::Keys => {
                let k = n[0];
                if k == 0 {
                    return self.error("key space 0 out of range (must be >= 1)".to_string());
                }
                self.workload.set_key_space(k);
            }
            Command::Ops => {
                let m = n[0];
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
            Command::Put => {
                // The bounds were checked as the key and value were read (N17).
                let op = self.op(Op::put(&self.args[0], &self.args[1]))?;
                let r = self.need_cluster(command)?.propose(op);
                self.print_propose(r)?;
            }
            Command::Del => {
                let op = self.op(Op::del(&self.args[0]))?;
                let r = self.need_cluster(command)?.propose(op);
                self.print_propose(r)?;
            }
            Command::Noop => {
                let r = self.need_cluster(command)?.propose(Op::noop());
                self.print_propose(r)?;
            }
            Command::Get => {
                // N10, N17: an overlong key is missing; its first 65,536 bytes stand for it.
                let key = std::mem::take(&mut self.args[0]);
                let read = self.need_cluster(command)?.read(&key);
                self.args[0] = key;
                let text = match read {
                    ReadResult::Value(v) => format!("value {}\n", hex(&v)),
                    ReadResult::Missing => "missing\n".to_string(),
                    ReadResult::Rejected => "rejected\n".to_string(),
                };
                self.out.write_all(text.as_bytes()).out()?;
            }
            Command::Partition => {
                if let Some(bad) = self.first_bad_id {
                    self.id(bad)?;
                }
                let ids: Vec<u64> = (0..255u64)
                    .filter(|&i| self.partition_ids[i as usize])
                    .collect();
                self.need_cluster(command)?
                    .partition(&ids)
                    .expect("ids checked");
            }
            Command::Heal => self.need_cluster(command)?.heal(),
            Command::Leader => {
                let c = self.need_cluster(command)?;
                let (l, v) = (c.leader(), c.view());
                writeln!(self.out, "leader {} view={}", l, v).out()?;
            }
            Command::Replica => {
                let id = self.id(n[0])?;
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
            Command::Snapshot => {
                let id = self.id(n[0])?;
                let bytes = self
                    .cluster
                    .as_ref()
                    .expect("checked above")
                    .replica(id)
                    .dump_state();
                let text = format!("snapshot {} {}\n", id, hex(&bytes));
                self.out.write_all(text.as_bytes()).out()?;
            }
            Command::Digest => {
                let d = self.need_cluster(command)?.digest();
                writeln!(self.out, "digest {}", fnv1a64::to_hex(d)).out()?;
            }
        }
        Ok(())
    }
}
