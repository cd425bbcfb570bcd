//! The db20 program: `db20 run FILE` or `db20 run -` (SPEC §7).

use db20::script::{ScriptError, ScriptRunner};
use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::process::ExitCode;

const USAGE: &str = "usage: db20 run FILE|-";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 || args[0] != "run" {
        eprintln!("{}", USAGE);
        return ExitCode::from(2);
    }
    let stdout = io::stdout();
    let mut runner = ScriptRunner::new(BufWriter::with_capacity(1 << 16, stdout.lock()));
    let result = if args[1] == "-" {
        runner.run(io::stdin().lock())
    } else {
        match File::open(&args[1]) {
            Ok(f) => runner.run(BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                eprintln!("db20 run: {}: {}", args[1], e);
                return ExitCode::from(2);
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ ScriptError::Line { .. }) => {
            eprintln!("{}", e);
            ExitCode::from(2)
        }
        Err(ScriptError::Io(e)) => {
            eprintln!("db20 run: {}", e);
            ExitCode::from(2)
        }
    }
}
