//! No component renders a literal string: every text of `src/ui/*.rs`
//! comes from a catalogue. The check reads the components' source and
//! flags each string literal that reads as words — two words in a row, a
//! capitalised word, or any word as an `html!` text node or as a
//! `title`, `aria-label` or `placeholder` — unless it is markup (a CSS
//! class, an id, an attribute that is not text), a command of the engine's
//! script language (`put apple red`), or one of a few names listed below.

use std::fs;
use std::path::Path;

/// Names a component may write as they are: the product, key and event
/// names of the DOM, and the storage keys.
const NAMES: &[&str] = &[
    "Strata",
    "ArrowRight",
    "ArrowLeft",
    "Home",
    "End",
    "INPUT",
    "TEXTAREA",
    "SELECT",
    // The read path's `data-outcome` value, which the end-to-end test
    // selects on.
    "not found",
];

/// The script language's commands: literals that start with one are
/// commands to run (or to show as code), not sentences.
const COMMANDS: &[&str] = &[
    "put",
    "get",
    "delete",
    "delete-range",
    "scan",
    "load",
    "flush",
    "step",
    "compact",
    "batch",
    "snapshot",
    "release",
    "option",
];

/// Attributes whose values are markup, not text.
const MARKUP_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "type",
    "for",
    "role",
    "href",
    "rel",
    "target",
    "accept",
    "autocomplete",
    "spellcheck",
    "inputmode",
    "min",
    "max",
    "value",
    "style",
    "d",
    "viewBox",
    "preserveAspectRatio",
    "aria-controls",
    "aria-hidden",
    "aria-live",
    "aria-atomic",
    "aria-labelledby",
    "aria-valuemin",
    "aria-valuemax",
    "tabindex",
    "lang",
    "key",
];

/// Attributes whose values are read.
const TEXT_ATTRIBUTES: &[&str] = &[
    "title",
    "aria-label",
    "placeholder",
    "alt",
    "aria-valuetext",
];

/// A string literal of a source file: its text and what precedes it on
/// its line.
struct Literal {
    line: usize,
    before: String,
    text: String,
}

/// The string literals of `source` up to its tests, outside comments.
fn literals(source: &str) -> Vec<Literal> {
    let code = source.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        let mut chars = line.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '/' if line.get(at..).is_some_and(|rest| rest.starts_with("//")) => break,
                '\'' => {
                    // A char literal ('"') or a lifetime: skip it.
                    let rest = line.get(at + 1..).unwrap_or_default();
                    if rest.starts_with("\\") || rest.chars().nth(1) == Some('\'') {
                        chars.nth(if rest.starts_with('\\') { 2 } else { 1 });
                    }
                }
                '"' => {
                    let mut text = String::new();
                    while let Some((_, c)) = chars.next() {
                        match c {
                            '\\' => {
                                if let Some((_, escaped)) = chars.next() {
                                    text.push(escaped);
                                }
                            }
                            '"' => break,
                            other => text.push(other),
                        }
                    }
                    found.push(Literal {
                        line: number + 1,
                        before: line.get(..at).unwrap_or_default().to_owned(),
                        text,
                    });
                }
                _ => {}
            }
        }
    }
    found
}

/// `text` without `format!` placeholders.
fn without_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The words (two letters or more) of `text`.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 1)
        .collect()
}

/// Whether `text` has two words in a row, separated by one space.
fn has_phrase(text: &str) -> bool {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    tokens.windows(2).any(|pair| {
        pair.iter()
            .all(|t| t.len() > 1 && t.chars().all(|c| c.is_ascii_alphabetic()))
    })
}

/// The attribute name that ends `before` (`… class=`), if any.
fn name_before_equals(before: &str) -> Option<&str> {
    let before = before.trim_end().strip_suffix('=')?;
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .map_or(0, |i| i + 1);
    before.get(start..).filter(|n| !n.is_empty())
}

/// The attribute whose value the literal is, if any: `class="…"`, or
/// inside the braces of `role={…}`.
fn attribute(before: &str) -> Option<&str> {
    if let Some(name) = name_before_equals(before) {
        return Some(name);
    }
    let mut open: Vec<Option<&str>> = Vec::new();
    for (at, c) in before.char_indices() {
        match c {
            '{' => open.push(before.get(..at).and_then(name_before_equals)),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.into_iter().flatten().last()
}

/// Whether the literal is a child of an `html!` element: `>{ "…" }` or
/// `}{ "…" }`, or alone on its line.
fn text_node(before: &str) -> bool {
    let Some(rest) = before.trim_end().strip_suffix('{') else {
        return false;
    };
    let rest = rest.trim_end();
    rest.is_empty() || rest.ends_with('>') || rest.ends_with('}')
}

/// Why `literal` is user-facing text, or `None` when it is not.
fn flagged(literal: &Literal) -> Option<&'static str> {
    let text = without_placeholders(&literal.text);
    let first = text.split_whitespace().next().unwrap_or_default();
    if words(&text).is_empty()
        || NAMES.contains(&text.as_str())
        || COMMANDS.contains(&first)
        || text.starts_with("put apple red")
    {
        return None;
    }
    match attribute(&literal.before) {
        Some(name) if MARKUP_ATTRIBUTES.contains(&name) || name.starts_with("data-") => {
            return None;
        }
        Some(name) if TEXT_ATTRIBUTES.contains(&name) => return Some("text attribute"),
        _ => {}
    }
    if text_node(&literal.before) {
        return Some("text node");
    }
    if has_phrase(&text) {
        return Some("words");
    }
    if words(&text).iter().any(|w| {
        w.starts_with(|c: char| c.is_ascii_uppercase())
            && w.chars().skip(1).all(|c| c.is_ascii_lowercase())
    }) {
        return Some("capitalised word");
    }
    None
}

/// Every flagged literal of the components, as `file:line: why: text`.
fn component_literals() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    assert!(files.len() > 10, "no components found in {}", dir.display());
    let mut found = Vec::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let source = fs::read_to_string(path).unwrap_or_default();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for literal in literals(&source) {
            if let Some(why) = flagged(&literal) {
                found.push(format!(
                    "{name}:{}: {why}: {:?}",
                    literal.line, literal.text
                ));
            }
        }
    }
    found
}

#[test]
fn no_component_renders_a_literal_string() {
    let found = component_literals();
    assert!(
        found.is_empty(),
        "text outside the catalogues:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_text_in_markup_and_code() {
    let source = r#"
        html! { <h2 class="panel-head" id="x-h">{ "Statistics" }</h2> }
        html! { <button aria-label="Close the table" class="dismiss">{ "×" }</button> }
        let why = format!("L{} holds {runs} runs", level);
        let line = format!("load sequential {n}");
        html! { <code>{ "step" }</code> }
        html! { <p>{ "done" }</p> }
        let css = "left:min({left:.3}%, calc(100% - 4px))";
        let kind = if tombstone { "tombstone" } else { "put" };
        html! { <div role={if error { "alert" } else { "status" }}>{ "WAL" }</div> }
    "#;
    let flags: Vec<Option<&str>> = literals(source).iter().map(flagged).collect();
    assert_eq!(
        flags,
        [
            None,
            None,
            Some("text node"),
            Some("text attribute"),
            None,
            None,
            Some("words"),
            None,
            None,
            Some("text node"),
            None,
            None,
            None,
            None,
            None,
            Some("text node"),
        ]
    );
}
