//! A chapter's Markdown as a document tree the chapter panel draws.
//!
//! The tree holds only what the panel knows how to draw — text is always
//! text, never markup. Raw HTML in the Markdown is shown as text, except
//! the `<details>` / `<summary>` pairs that hide the exercises' answers,
//! which become [`Tag::Details`] and [`Tag::Summary`] elements. Links are
//! classified: external links, links between chapters (`06-bloom.md`),
//! links to a heading of the same chapter, and links to other files of the
//! repository (drawn as text). ```` ```scene ```` blocks become
//! [`Node::Scene`], numbered in the order `Chapter::scenes` finds them.

mod build;
mod html;
#[cfg(test)]
mod tests;

pub use build::parse;

/// Horizontal alignment of a table column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Align {
    /// Not given.
    #[default]
    None,
    /// Left.
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
}

/// Where a link goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// An `http(s)` or `mailto` address: opens outside the app.
    External(String),
    /// Another chapter (by slug), optionally at a heading.
    Chapter {
        /// The chapter's slug.
        slug: &'static str,
        /// The heading id after `#`, if any.
        anchor: Option<String>,
    },
    /// A heading of this chapter, by id.
    Heading(String),
    /// Anything else (a file of the repository): drawn as text with the
    /// address as a hint.
    Other(String),
}

/// An element with children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tag {
    /// A paragraph.
    Paragraph,
    /// A heading of level 1–6, with its id for links.
    Heading {
        /// 1 for `#`, 2 for `##`, …
        level: u8,
        /// The anchor id made from its text.
        id: String,
    },
    /// A block quote.
    Quote,
    /// A list; `Some(first number)` when ordered.
    List(Option<u64>),
    /// A list item.
    Item,
    /// A table with its column alignments.
    Table(Vec<Align>),
    /// The header row of a table (its children are cells).
    TableHead,
    /// A body row of a table.
    TableRow,
    /// A cell, with its column's alignment.
    TableCell(Align),
    /// Emphasis.
    Emphasis,
    /// Strong emphasis.
    Strong,
    /// Struck-through text.
    Strikethrough,
    /// A link.
    Link(LinkTarget),
    /// A collapsible block, closed at first (an exercise's answer).
    Details,
    /// The always-visible label of a [`Tag::Details`].
    Summary,
}

/// A node of the document tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// An element and its children.
    Element(Tag, Vec<Node>),
    /// Text.
    Text(String),
    /// Inline code.
    Code(String),
    /// A fenced or indented code block that is not a scene.
    CodeBlock {
        /// The language: `rust` (rustdoc's default), `text`, …
        lang: String,
        /// The code, rustdoc's hidden lines (`# …`) left out for Rust.
        text: String,
    },
    /// A scene block: its script as written and its number in the
    /// chapter (0-based).
    Scene {
        /// Which scene of the chapter.
        index: usize,
        /// The script, expectations included.
        text: String,
    },
    /// A line break inside a paragraph.
    Break,
    /// A horizontal rule.
    Rule,
}

impl Node {
    /// The text inside this node, markup left out (for ids and tests).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        match self {
            Node::Element(_, children) => children.iter().for_each(|c| c.collect_text(out)),
            Node::Text(t) | Node::Code(t) => out.push_str(t),
            Node::CodeBlock { text, .. } | Node::Scene { text, .. } => out.push_str(text),
            Node::Break => out.push('\n'),
            Node::Rule => {}
        }
    }
}

/// The id GitHub-style renderers give a heading: lower case, letters,
/// digits, `-` and `_` kept, spaces become `-`, the rest dropped.
pub fn heading_id(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where the link `dest` in a chapter goes.
pub fn classify_link(dest: &str) -> LinkTarget {
    let lower = dest.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return LinkTarget::External(dest.to_owned());
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return LinkTarget::Heading(anchor.to_owned());
    }
    if let Some((_, chapter)) = strata_tutorials::chapter_by_file(dest) {
        let anchor = dest
            .split_once('#')
            .map(|(_, a)| a.to_owned())
            .filter(|a| !a.is_empty());
        return LinkTarget::Chapter {
            slug: chapter.slug,
            anchor,
        };
    }
    LinkTarget::Other(dest.to_owned())
}
