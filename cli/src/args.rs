//! The command line.

use std::path::PathBuf;

use anyhow::{bail, Result};

/// Printed for `--help` and after a usage error.
pub const USAGE: &str = "\
usage:
  strata [FLAGS] DIR                      interactive shell (script from stdin when it is not a terminal)
  strata [FLAGS] DIR -c CMD [-c CMD …]    run these commands, stop at the first error
  strata [FLAGS] DIR --script FILE        run a script file (- for stdin), stop at the first error
  strata trace DIR --script FILE --out TRACE.json [--fresh] [--no-check] [--option name=value …]
                                          run a script on a new database and write its event trace
  strata repair DIR [--option name=value …]
                                          rebuild a lost manifest from the tables and logs in DIR;
                                          moves every input file into DIR/lost/, deletes nothing

flags:
  --option name=value   set an engine option before opening (repeatable; see `options`)
  --json                print get, scan, stats, tables, verify, options and bulk summaries as JSON
  --no-create           refuse to create a database: DIR must already hold one
  --read-only           inspect an in-memory copy: nothing on disk changes, writes are refused
  -h, --help            this text
  -V, --version         the version

exit status: 0 on success, 1 when a command fails (or verify finds damage), 2 on a usage error";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Invocation {
    /// `--help`.
    Help,
    /// `--version`.
    Version,
    /// The shell, interactive or scripted.
    Shell(ShellArgs),
    /// `strata trace …`.
    Trace(TraceArgs),
    /// `strata repair DIR`.
    Repair(RepairArgs),
}

/// Arguments of `strata repair`.
#[derive(Debug, Default, PartialEq)]
pub struct RepairArgs {
    /// The database directory.
    pub dir: PathBuf,
    /// `--option name=value`, in order.
    pub options: Vec<(String, String)>,
}

/// Arguments of the shell.
#[derive(Debug, Default, PartialEq)]
pub struct ShellArgs {
    /// The database directory.
    pub dir: PathBuf,
    /// `-c` commands, in order.
    pub commands: Vec<String>,
    /// `--script` file (`-` for stdin).
    pub script: Option<String>,
    /// `--json`.
    pub json: bool,
    /// `--no-create`.
    pub no_create: bool,
    /// `--read-only`.
    pub read_only: bool,
    /// `--option name=value`, in order.
    pub options: Vec<(String, String)>,
}

/// Arguments of `strata trace`.
#[derive(Debug, Default, PartialEq)]
pub struct TraceArgs {
    /// The directory the run's database is created in.
    pub dir: PathBuf,
    /// The script (`-` for stdin).
    pub script: String,
    /// Where the trace goes (`-` for stdout).
    pub out: String,
    /// Empty a directory that holds only Strata files first.
    pub fresh: bool,
    /// Skip the in-memory replay that checks the trace.
    pub no_check: bool,
    /// `--option name=value`, in order.
    pub options: Vec<(String, String)>,
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Invocation> {
    if args == ["help"] {
        return Ok(Invocation::Help);
    }
    let mut it = args.iter().map(String::as_str).peekable();
    if it.peek() == Some(&"trace") {
        it.next();
        return parse_trace(&mut it);
    }
    if it.peek() == Some(&"repair") {
        it.next();
        return parse_repair(&mut it);
    }
    let mut shell = ShellArgs::default();
    let mut dir = None;
    while let Some(arg) = it.next() {
        let (flag, inline) = split_flag(arg);
        match flag {
            "-h" | "--help" => return Ok(Invocation::Help),
            "-V" | "--version" => return Ok(Invocation::Version),
            "-c" | "--command" => shell.commands.push(value(flag, inline, &mut it)?),
            "--script" => shell.script = Some(value(flag, inline, &mut it)?),
            "--option" | "-o" => shell.options.push(option(&value(flag, inline, &mut it)?)?),
            "--json" => shell.json = true,
            "--no-create" => shell.no_create = true,
            "--read-only" => shell.read_only = true,
            _ => positional(arg, &mut dir)?,
        }
    }
    let Some(dir) = dir else {
        bail!("missing the database directory");
    };
    if !shell.commands.is_empty() && shell.script.is_some() {
        bail!("use either -c or --script, not both");
    }
    shell.dir = dir;
    Ok(Invocation::Shell(shell))
}

fn parse_trace<'a>(it: &mut impl Iterator<Item = &'a str>) -> Result<Invocation> {
    let mut trace = TraceArgs::default();
    let (mut dir, mut script, mut out) = (None, None, None);
    while let Some(arg) = it.next() {
        let (flag, inline) = split_flag(arg);
        match flag {
            "-h" | "--help" => return Ok(Invocation::Help),
            "--script" => script = Some(value(flag, inline, it)?),
            "--out" | "-O" => out = Some(value(flag, inline, it)?),
            "--option" | "-o" => trace.options.push(option(&value(flag, inline, it)?)?),
            "--fresh" => trace.fresh = true,
            "--no-check" => trace.no_check = true,
            _ => positional(arg, &mut dir)?,
        }
    }
    let (Some(dir), Some(script), Some(out)) = (dir, script, out) else {
        bail!("strata trace needs DIR, --script FILE and --out FILE");
    };
    trace.dir = dir;
    trace.script = script;
    trace.out = out;
    Ok(Invocation::Trace(trace))
}

fn parse_repair<'a>(it: &mut impl Iterator<Item = &'a str>) -> Result<Invocation> {
    let mut repair = RepairArgs::default();
    let mut dir = None;
    while let Some(arg) = it.next() {
        let (flag, inline) = split_flag(arg);
        match flag {
            "-h" | "--help" => return Ok(Invocation::Help),
            "--option" | "-o" => repair.options.push(option(&value(flag, inline, it)?)?),
            _ => positional(arg, &mut dir)?,
        }
    }
    let Some(dir) = dir else {
        bail!("strata repair needs the database directory");
    };
    repair.dir = dir;
    Ok(Invocation::Repair(repair))
}

/// `--flag=value` → (`--flag`, Some(value)).
fn split_flag(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once('=') {
        Some((flag, value)) if arg.starts_with("--") => (flag, Some(value)),
        _ => (arg, None),
    }
}

fn value<'a>(
    flag: &str,
    inline: Option<&str>,
    it: &mut impl Iterator<Item = &'a str>,
) -> Result<String> {
    match inline.or_else(|| it.next()) {
        Some(v) => Ok(v.to_owned()),
        None => bail!("{flag} needs a value"),
    }
}

fn option(text: &str) -> Result<(String, String)> {
    match text.split_once('=') {
        Some((name, value)) => Ok((name.to_owned(), value.to_owned())),
        None => bail!("--option takes name=value, not {text:?}"),
    }
}

fn positional(arg: &str, dir: &mut Option<PathBuf>) -> Result<()> {
    if arg.starts_with('-') && arg != "-" {
        bail!("unknown flag {arg}");
    }
    if dir.is_some() {
        bail!("unexpected argument {arg:?} (one directory only; quote commands given with -c)");
    }
    *dir = Some(PathBuf::from(arg));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn shell_flags_and_commands_parse() -> Result<()> {
        let parsed = parse(&args(&[
            "db", "-c", "put a 1", "--option", "seed=3", "--json", "-c", "get a",
        ]))?;
        let Invocation::Shell(shell) = parsed else {
            bail!("not a shell invocation: {parsed:?}");
        };
        assert_eq!(shell.dir, PathBuf::from("db"));
        assert_eq!(shell.commands, ["put a 1", "get a"]);
        assert_eq!(shell.options, [("seed".to_owned(), "3".to_owned())]);
        assert!(shell.json);
        Ok(())
    }

    #[test]
    fn repair_takes_a_directory_and_options() -> Result<()> {
        assert!(parse(&args(&["repair"])).is_err());
        let parsed = parse(&args(&["repair", "d", "--option", "seed=3"]))?;
        let Invocation::Repair(repair) = parsed else {
            bail!("not a repair invocation: {parsed:?}");
        };
        assert_eq!(repair.dir, PathBuf::from("d"));
        assert_eq!(repair.options, [("seed".to_owned(), "3".to_owned())]);
        Ok(())
    }

    #[test]
    fn trace_needs_its_three_arguments() -> Result<()> {
        assert!(parse(&args(&["trace", "d", "--script", "s"])).is_err());
        let parsed = parse(&args(&[
            "trace",
            "d",
            "--script=s",
            "--out",
            "t.json",
            "--fresh",
        ]))?;
        let Invocation::Trace(trace) = parsed else {
            bail!("not a trace invocation: {parsed:?}");
        };
        assert_eq!((trace.script.as_str(), trace.out.as_str()), ("s", "t.json"));
        assert!(trace.fresh);
        Ok(())
    }

    #[test]
    fn usage_errors_are_reported() {
        assert!(parse(&args(&[])).is_err());
        assert!(parse(&args(&["a", "b"])).is_err());
        assert!(parse(&args(&["a", "--bogus"])).is_err());
        assert!(parse(&args(&["a", "-c", "x", "--script", "f"])).is_err());
        assert!(parse(&args(&["a", "--option", "novalue"])).is_err());
    }
}
