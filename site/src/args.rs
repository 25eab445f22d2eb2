//! The command line: a verb and a few flags, parsed by hand (no argument
//! parser to compile on a newcomer's first run).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use crate::labs::Labs;

/// How to use the tool, printed by `help` and on bad arguments.
pub const USAGE: &str = "\
usage: strata-site <command> [options]

commands:
  serve   build the site, then serve it on http://127.0.0.1:8080/ (PORT=… or --port)
  build   build the site into dist/ (or --out DIR)
  help    this text

options:
  --out DIR      where the site is written (default: dist/ in the repository)
  --port N       port for serve (default: $PORT, else 8080)
  --profile P    cargo profile for the wasm build (default: wasm-release)
  --no-build     serve: serve what is already in the output folder
  --wasm-opt     serve: shrink the wasm with wasm-opt too (build does by default)
  --no-wasm-opt  build: leave the wasm as wasm-bindgen wrote it
  --labs         run the labs' student code (tutorials/labs/src/student/) in the
                 visualizer; unfinished labs fall back to the engine's own code
  --labs-reference  the same with the labs' reference solutions
";

/// What to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Build,
    Serve,
    Help,
}

/// The parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub command: Command,
    pub out: Option<PathBuf>,
    pub port: u16,
    pub profile: String,
    pub no_build: bool,
    /// Whether to run wasm-opt (when one is found): `None` for the
    /// command's default.
    pub wasm_opt: Option<bool>,
    /// Build the visualizer on the labs' code (`--labs`,
    /// `--labs-reference`).
    pub labs: Option<Labs>,
}

impl Options {
    /// Whether the build runs wasm-opt: `build` does, `serve` does not
    /// unless asked (the pass adds seconds to every start, and a page
    /// served on 127.0.0.1 gains little from a smaller download).
    pub fn optimise_wasm(&self) -> bool {
        self.wasm_opt.unwrap_or(self.command == Command::Build)
    }
}

const DEFAULT_PORT: u16 = 8080;
const DEFAULT_PROFILE: &str = "wasm-release";

/// Parses the arguments after the program name; `PORT` gives the default
/// port.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options> {
    let mut args = args.into_iter();
    let command = match args.next().as_deref() {
        Some("build") => Command::Build,
        Some("serve") => Command::Serve,
        Some("help" | "-h" | "--help") | None => Command::Help,
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
    };
    let mut options = Options {
        command,
        out: None,
        port: env_port()?,
        profile: DEFAULT_PROFILE.to_string(),
        no_build: false,
        wasm_opt: None,
        labs: None,
    };
    while let Some(flag) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .with_context(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match flag.as_str() {
            "--out" => options.out = Some(PathBuf::from(value("--out")?)),
            "--port" => options.port = parse_port(&value("--port")?)?,
            "--profile" => options.profile = value("--profile")?,
            "--no-build" => options.no_build = true,
            "--wasm-opt" => options.wasm_opt = Some(true),
            "--no-wasm-opt" => options.wasm_opt = Some(false),
            "--labs" => options.labs = Some(Labs::Student),
            "--labs-reference" => options.labs = Some(Labs::Reference),
            other => bail!("unknown option `{other}`\n\n{USAGE}"),
        }
    }
    Ok(options)
}

fn env_port() -> Result<u16> {
    match std::env::var("PORT") {
        Ok(port) if !port.is_empty() => parse_port(&port).context("in the PORT variable"),
        _ => Ok(DEFAULT_PORT),
    }
}

fn parse_port(text: &str) -> Result<u16> {
    text.parse()
        .with_context(|| format!("`{text}` is not a port number (1–65535)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Options> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_after_the_command_are_read() -> Result<()> {
        let options = parse_strs(&["serve", "--port", "9000", "--out", "x", "--no-build"])?;
        assert_eq!(options.command, Command::Serve);
        assert_eq!(options.port, 9000);
        assert_eq!(options.out, Some(PathBuf::from("x")));
        assert!(options.no_build);
        assert_eq!(options.profile, "wasm-release");
        Ok(())
    }

    #[test]
    fn bad_arguments_are_errors_that_say_what_is_wrong() {
        let message = |args: &[&str]| match parse_strs(args) {
            Ok(_) => "accepted".to_string(),
            Err(error) => format!("{error:#}"),
        };
        assert!(message(&["deploy"]).contains("unknown command `deploy`"));
        assert!(message(&["build", "--fast"]).contains("unknown option `--fast`"));
        assert!(message(&["serve", "--port"]).contains("--port needs a value"));
        assert!(message(&["serve", "--port", "http"]).contains("`http` is not a port number"));
    }

    #[test]
    fn build_runs_wasm_opt_and_serve_does_not_unless_asked() -> Result<()> {
        assert!(parse_strs(&["build"])?.optimise_wasm());
        assert!(!parse_strs(&["build", "--no-wasm-opt"])?.optimise_wasm());
        assert!(!parse_strs(&["serve"])?.optimise_wasm());
        assert!(parse_strs(&["serve", "--wasm-opt"])?.optimise_wasm());
        Ok(())
    }

    #[test]
    fn the_labs_flags_choose_whose_lab_code_the_page_runs() -> Result<()> {
        assert_eq!(parse_strs(&["build"])?.labs, None);
        assert_eq!(parse_strs(&["build", "--labs"])?.labs, Some(Labs::Student));
        assert_eq!(
            parse_strs(&["serve", "--labs-reference"])?.labs,
            Some(Labs::Reference)
        );
        Ok(())
    }

    #[test]
    fn no_command_means_help() -> Result<()> {
        assert_eq!(parse_strs(&[])?.command, Command::Help);
        Ok(())
    }
}
