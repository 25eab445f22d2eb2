//! Markdown events (pulldown-cmark) folded into the document tree.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag as Md, TagEnd};

use super::html::{tokens, Token};
use super::{classify_link, heading_id, Align, Node, Tag};

/// What is being built at one level of nesting.
enum Frame {
    /// An element of the tree.
    Element(Tag, Vec<Node>),
    /// A code block: its info string and text so far.
    Code(Option<String>, String),
    /// A container the tree has no element for (an image, a footnote):
    /// its children join the parent.
    Transparent(Vec<Node>),
}

impl Frame {
    /// Opened by raw HTML (`<details>`, `<summary>`), not by Markdown.
    fn is_html(&self) -> bool {
        matches!(self, Frame::Element(Tag::Details | Tag::Summary, _))
    }
}

/// The tree under construction: the root's children and the open frames.
struct Builder {
    root: Vec<Node>,
    stack: Vec<Frame>,
    scenes: usize,
}

/// Parses `markdown` (tables and strikethrough on) into the document tree.
pub fn parse(markdown: &str) -> Vec<Node> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut builder = Builder {
        root: Vec::new(),
        stack: Vec::new(),
        scenes: 0,
    };
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    while !builder.stack.is_empty() {
        builder.close_top();
    }
    builder.root
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(TagEnd::HtmlBlock) => {}
            Event::End(_) => self.end(),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.push(Node::Code(code.into_string())),
            Event::Html(html) => self.html(&html),
            Event::InlineHtml(html) => self.text(&html),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.push(Node::Break),
            Event::Rule => self.push(Node::Rule),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(name) => self.text(&format!("[{name}]")),
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                self.push(Node::Code(math.into_string()))
            }
        }
    }

    fn start(&mut self, tag: Md<'_>) {
        let element = |t: Tag| Frame::Element(t, Vec::new());
        let frame = match tag {
            Md::Paragraph => element(Tag::Paragraph),
            Md::Heading { level, .. } => element(Tag::Heading {
                level: level as u8,
                id: String::new(),
            }),
            Md::BlockQuote(_) => element(Tag::Quote),
            Md::CodeBlock(CodeBlockKind::Fenced(info)) => {
                Frame::Code(Some(info.into_string()), String::new())
            }
            Md::CodeBlock(CodeBlockKind::Indented) => Frame::Code(None, String::new()),
            Md::List(start) => element(Tag::List(start)),
            Md::Item => element(Tag::Item),
            Md::Table(aligns) => element(Tag::Table(aligns.into_iter().map(align).collect())),
            Md::TableHead => element(Tag::TableHead),
            Md::TableRow => element(Tag::TableRow),
            Md::TableCell => element(Tag::TableCell(self.cell_align())),
            Md::Emphasis => element(Tag::Emphasis),
            Md::Strong => element(Tag::Strong),
            Md::Strikethrough => element(Tag::Strikethrough),
            Md::Link { dest_url, .. } => element(Tag::Link(classify_link(&dest_url))),
            // Raw HTML blocks are handled event by event; the wrapper
            // would end a `<details>` that a later block closes.
            Md::HtmlBlock => return,
            _ => Frame::Transparent(Vec::new()),
        };
        self.stack.push(frame);
    }

    /// The alignment of the cell about to open, from its table's columns.
    fn cell_align(&self) -> Align {
        let column = match self.stack.last() {
            Some(Frame::Element(_, cells)) => cells.len(),
            _ => 0,
        };
        self.stack
            .iter()
            .rev()
            .find_map(|f| match f {
                Frame::Element(Tag::Table(aligns), _) => {
                    Some(aligns.get(column).copied().unwrap_or_default())
                }
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Ends the innermost Markdown frame, closing any `<details>` left
    /// open inside it.
    fn end(&mut self) {
        while self.stack.last().is_some_and(Frame::is_html) {
            self.close_top();
        }
        self.close_top();
    }

    /// Pops the top frame into its parent.
    fn close_top(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Element(Tag::Heading { level, .. }, children) => {
                let id = heading_id(&Node::Element(Tag::Paragraph, children.clone()).plain_text());
                self.push(Node::Element(Tag::Heading { level, id }, children));
            }
            Frame::Element(tag, children) => self.push(Node::Element(tag, children)),
            Frame::Code(info, text) => {
                let node = self.code_block(info.as_deref(), text);
                self.push(node);
            }
            Frame::Transparent(children) => children.into_iter().for_each(|c| self.push(c)),
        }
    }

    fn code_block(&mut self, info: Option<&str>, text: String) -> Node {
        let first = info
            .unwrap_or_default()
            .split(|c: char| c == ',' || c.is_whitespace())
            .next()
            .unwrap_or_default();
        if info.and_then(|i| i.split_whitespace().next())
            == Some(strata_tutorials::scene::SCENE_INFO)
        {
            let index = self.scenes;
            self.scenes += 1;
            return Node::Scene { index, text };
        }
        let rust = first.is_empty()
            || first == "rust"
            || matches!(first, "no_run" | "ignore" | "should_panic" | "compile_fail")
            || first.starts_with("edition");
        if rust {
            Node::CodeBlock {
                lang: "rust".to_owned(),
                text: visible_rust(&text),
            }
        } else {
            Node::CodeBlock {
                lang: first.to_owned(),
                text,
            }
        }
    }

    /// Adds a node to the innermost open frame.
    fn push(&mut self, node: Node) {
        let children = match self.stack.last_mut() {
            None => &mut self.root,
            Some(Frame::Element(_, children) | Frame::Transparent(children)) => children,
            Some(Frame::Code(_, text)) => {
                text.push_str(&node.plain_text());
                return;
            }
        };
        match (children.last_mut(), node) {
            (Some(Node::Text(last)), Node::Text(more)) => last.push_str(&more),
            (_, node) => children.push(node),
        }
    }

    fn text(&mut self, text: &str) {
        self.push(Node::Text(text.to_owned()));
    }

    /// A raw HTML block: `<details>` and `<summary>` open and close
    /// elements; everything else is text.
    fn html(&mut self, html: &str) {
        for token in tokens(html) {
            match token {
                Token::OpenDetails => self.stack.push(Frame::Element(Tag::Details, Vec::new())),
                Token::OpenSummary => self.stack.push(Frame::Element(Tag::Summary, Vec::new())),
                Token::CloseSummary if self.top_is(&Tag::Summary) => self.close_top(),
                Token::CloseDetails if self.details_open_on_top() => {
                    if self.top_is(&Tag::Summary) {
                        self.close_top();
                    }
                    self.close_top();
                }
                Token::Text(text) if text.trim().is_empty() => {}
                Token::Text(text) if self.top_is(&Tag::Summary) => self.text(text.trim()),
                other => self.text(other.source()),
            }
        }
    }

    fn top_is(&self, tag: &Tag) -> bool {
        matches!(self.stack.last(), Some(Frame::Element(t, _)) if t == tag)
    }

    /// Whether `</details>` closes something: a `<details>` on top, or a
    /// `<summary>` on top of one.
    fn details_open_on_top(&self) -> bool {
        let mut frames = self.stack.iter().rev();
        match frames.next() {
            Some(Frame::Element(Tag::Details, _)) => true,
            Some(Frame::Element(Tag::Summary, _)) => {
                matches!(frames.next(), Some(Frame::Element(Tag::Details, _)))
            }
            _ => false,
        }
    }
}

fn align(a: Alignment) -> Align {
    match a {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

/// A Rust block as rustdoc shows it: lines `# …` (and a lone `#`) are
/// hidden, `## …` shows as `# …`.
fn visible_rust(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed == "#" || trimmed.starts_with("# ") {
            continue;
        }
        match trimmed.strip_prefix("##") {
            Some(rest) => {
                let indent = line.len() - trimmed.len();
                out.push_str(line.get(..indent).unwrap_or_default());
                out.push('#');
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}
