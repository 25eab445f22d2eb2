//! Running the shell: interactively, from `-c` arguments, or from a script.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::{anyhow, Context, Result};
use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;
use strata_engine::script::{parse_command, set_option, Command};
use strata_engine::Options;

use crate::args::ShellArgs;
use crate::open::{open, OpenRequest};
use crate::shell::{Flow, ParseError, Shell};

/// Where the commands come from.
enum Source {
    /// Numbered lines; `label` names them in errors ("line", "-c command").
    Lines {
        lines: Vec<String>,
        label: &'static str,
    },
    /// A person at a terminal.
    Interactive,
}

/// Runs the shell per the command line.
pub fn shell(args: ShellArgs) -> Result<()> {
    let source = source(&args)?;
    let mut options = Options::deterministic();
    let mut strategy_given = false;
    for (name, value) in &args.options {
        set_option(&mut options, name, value)
            .map_err(|e| anyhow!("--option {name}={value}: {}", e.message))?;
        strategy_given |= name == "compaction_strategy";
    }
    let mut first = 0;
    if let Source::Lines { lines, label } = &source {
        first = leading_options(lines, label, &mut options, &mut strategy_given)?;
    }
    options
        .validate()
        .map_err(|e| anyhow!("the options do not work together: {e}"))?;
    let request = OpenRequest {
        dir: args.dir.clone(),
        no_create: args.no_create,
        read_only: args.read_only,
        options,
        strategy_given,
    };
    let opened = open(&request)?;
    let mut shell = Shell::new(opened.db, opened.storage, args.json, args.read_only);
    let result = match &source {
        Source::Lines { lines, label } => run_lines(&mut shell, lines, first, label),
        Source::Interactive => interactive(&mut shell, &args.dir, args.read_only),
    };
    let closed = shell.close();
    result.and(closed)
}

fn source(args: &ShellArgs) -> Result<Source> {
    if !args.commands.is_empty() {
        return Ok(Source::Lines {
            lines: args.commands.clone(),
            label: "-c command",
        });
    }
    let text = match args.script.as_deref() {
        Some(path) => read_script(path)?,
        None if std::io::stdin().is_terminal() => return Ok(Source::Interactive),
        None => read_script("-")?,
    };
    Ok(Source::Lines {
        lines: text.lines().map(str::to_owned).collect(),
        label: "line",
    })
}

/// The text of a script file, or of stdin for `-`.
pub fn read_script(path: &str) -> Result<String> {
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the script from stdin")?;
        return Ok(text);
    }
    std::fs::read_to_string(path).with_context(|| format!("reading the script {path}"))
}

/// Applies the `option` lines before the first command; returns the index
/// of the first line after them.
fn leading_options(
    lines: &[String],
    label: &str,
    options: &mut Options,
    strategy_given: &mut bool,
) -> Result<usize> {
    for (i, line) in lines.iter().enumerate() {
        let at = |e: strata_engine::script::ScriptError| {
            anyhow!("{label} {}, column {}: {}", i + 1, e.column, e.message)
        };
        match parse_command(line) {
            Ok(None) => {}
            Ok(Some(Command::SetOption { name, value })) => {
                set_option(options, &name, &value).map_err(at)?;
                *strategy_given |= name == "compaction_strategy";
            }
            // The shell reports anything else when it reaches the line.
            Ok(Some(_)) | Err(_) => return Ok(i),
        }
    }
    Ok(lines.len())
}

/// Runs `lines[first..]`, stopping at the first error, which names the line.
fn run_lines(shell: &mut Shell, lines: &[String], first: usize, label: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for (i, line) in lines.iter().enumerate().skip(first) {
        match shell.run_line(line, &mut out) {
            Ok(Flow::Continue) => {}
            Ok(Flow::Quit) => break,
            Err(e) => return Err(at_line(e, label, i + 1, line)),
        }
    }
    out.flush()?;
    Ok(())
}

fn at_line(e: anyhow::Error, label: &str, n: usize, line: &str) -> anyhow::Error {
    match e.downcast_ref::<ParseError>() {
        Some(parse) => anyhow!(
            "{label} {n}, {parse}\n    {line}\n    {}^",
            " ".repeat(parse.column.saturating_sub(1))
        ),
        None => e.context(format!("{label} {n} ({})", line.trim())),
    }
}

fn interactive(shell: &mut Shell, dir: &std::path::Path, read_only: bool) -> Result<()> {
    let mut editor = DefaultEditor::new().context("starting the line editor")?;
    let history = history_path();
    if let Some(path) = &history {
        // A missing history file is the normal first run.
        let _ = editor.load_history(path);
    }
    println!(
        "Strata shell on {}{}: tables per level {}, last sequence number {}.\n\
         Type help for the commands, quit to leave.",
        dir.display(),
        if read_only { " (read-only copy)" } else { "" },
        shell.level_counts(),
        shell.db.last_seq()
    );
    let mut out = std::io::stdout();
    loop {
        match editor.readline("strata> ") {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                match shell.run_line(&line, &mut out) {
                    Ok(Flow::Continue) => {}
                    Ok(Flow::Quit) => break,
                    Err(e) => match e.downcast_ref::<ParseError>() {
                        Some(parse) => eprintln!("error: {parse}"),
                        None => eprintln!("error: {e:#}"),
                    },
                }
                out.flush()?;
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e).context("reading a line"),
        }
    }
    if let Some(path) = &history {
        if let Err(e) = editor.save_history(path) {
            eprintln!("note: history not saved to {}: {e}", path.display());
        }
    }
    Ok(())
}

/// `~/.strata_history`, if there is a home directory.
fn history_path() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    Some(PathBuf::from(home).join(".strata_history"))
}
