//! The raw HTML the chapters may hold: only `<details>`, `<details open>`,
//! `</details>`, `<summary>` and `</summary>` are recognised; everything
//! else stays text.

/// A piece of a raw HTML block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<details>` (attributes ignored: answers start closed).
    OpenDetails,
    /// `</details>`.
    CloseDetails,
    /// `<summary>`.
    OpenSummary,
    /// `</summary>`.
    CloseSummary,
    /// Anything else, as written.
    Text(&'a str),
}

impl Token<'_> {
    /// The token as it was written (for a tag shown as text).
    pub fn source(&self) -> &str {
        match self {
            Token::OpenDetails => "<details>",
            Token::CloseDetails => "</details>",
            Token::OpenSummary => "<summary>",
            Token::CloseSummary => "</summary>",
            Token::Text(t) => t,
        }
    }
}

/// Which recognised tag `tag` (from `<` to `>`) is, if any.
fn recognise(tag: &str) -> Option<Token<'static>> {
    let inner = tag.strip_prefix('<')?.strip_suffix('>')?.trim();
    let (closing, name) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest.trim()),
        None => (false, inner),
    };
    let word = name.split_whitespace().next()?.to_ascii_lowercase();
    let has_attributes = name.split_whitespace().nth(1).is_some();
    match (word.as_str(), closing) {
        ("details", false) => Some(Token::OpenDetails),
        ("details", true) if !has_attributes => Some(Token::CloseDetails),
        ("summary", false) if !has_attributes => Some(Token::OpenSummary),
        ("summary", true) if !has_attributes => Some(Token::CloseSummary),
        _ => None,
    }
}

/// Splits raw HTML into recognised tags and text between them.
pub fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut text_start = 0;
    let mut offset = 0;
    while let Some(open) = rest.find('<') {
        let after = rest.get(open..).unwrap_or_default();
        let Some(close) = after.find('>') else {
            break;
        };
        let tag = after.get(..=close).unwrap_or_default();
        let tag_start = offset + open;
        let tag_end = tag_start + tag.len();
        if let Some(token) = recognise(tag) {
            if let Some(text) = html.get(text_start..tag_start).filter(|t| !t.is_empty()) {
                out.push(Token::Text(text));
            }
            out.push(token);
            text_start = tag_end;
        }
        offset = tag_end;
        rest = html.get(tag_end..).unwrap_or_default();
    }
    if let Some(text) = html.get(text_start..).filter(|t| !t.is_empty()) {
        out.push(Token::Text(text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_details_and_summary_tags_are_recognised() {
        assert_eq!(
            tokens("<details><summary>Answer</summary>\n"),
            vec![
                Token::OpenDetails,
                Token::OpenSummary,
                Token::Text("Answer"),
                Token::CloseSummary,
                Token::Text("\n"),
            ]
        );
        assert_eq!(
            tokens("<img src=x onerror=alert(1)> <b>x</b>"),
            vec![Token::Text("<img src=x onerror=alert(1)> <b>x</b>")]
        );
        assert_eq!(tokens("<DETAILS open>"), vec![Token::OpenDetails]);
        assert_eq!(tokens("a < b"), vec![Token::Text("a < b")]);
        assert_eq!(tokens(""), vec![]);
    }
}
