//! What the two editions of a chapter share byte for byte: its `scene` and
//! Rust blocks. Prose is translated; these blocks are code, so the Chinese
//! edition holds exact copies of the English ones (`tests/editions.rs`
//! checks it), and [`with_blocks_of`] brings a translation up to date after
//! the English blocks change.

use std::ops::Range;

/// A fenced code block whose text both editions share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedBlock<'a> {
    /// Where the block sits in the chapter's Markdown, from the opening
    /// fence's first byte (its indentation included) to the end of the
    /// closing fence's line.
    pub range: Range<usize>,
    /// The block itself: `markdown[range]`.
    pub text: &'a str,
}

/// The `scene` and `rust` blocks of `markdown`, in order, including those
/// indented inside a list item. Other fenced blocks (`text` diagrams,
/// shell commands) are not shared: a translation may label a diagram in
/// its own language.
pub fn shared_blocks(markdown: &str) -> Vec<SharedBlock<'_>> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, bool)> = None;
    let mut at = 0;
    for line in markdown.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let trimmed = line.trim();
        match open {
            None if trimmed.starts_with("```") => {
                let info = trimmed.trim_start_matches('`');
                open = Some((start, info == "scene" || info == "rust"));
            }
            Some((from, shared)) if trimmed == "```" => {
                if shared {
                    blocks.push(SharedBlock {
                        range: from..at,
                        text: markdown.get(from..at).unwrap_or_default(),
                    });
                }
                open = None;
            }
            _ => {}
        }
    }
    blocks
}

/// `translation` with each of its shared blocks replaced by the block in
/// the same position of `original`. Fails, changing nothing, when the two
/// have different numbers of shared blocks: a block added or removed needs
/// a translator to say where it goes in the prose.
pub fn with_blocks_of(original: &str, translation: &str) -> Result<String, String> {
    let theirs = shared_blocks(original);
    let ours = shared_blocks(translation);
    if theirs.len() != ours.len() {
        return Err(format!(
            "{} scene and Rust blocks in the original, {} in the translation",
            theirs.len(),
            ours.len()
        ));
    }
    let mut out = String::with_capacity(translation.len());
    let mut copied_to = 0;
    for (mine, new) in ours.iter().zip(&theirs) {
        out.push_str(
            translation
                .get(copied_to..mine.range.start)
                .unwrap_or_default(),
        );
        out.push_str(new.text);
        copied_to = mine.range.end;
    }
    out.push_str(translation.get(copied_to..).unwrap_or_default());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "# T\n\nText.\n\n```scene\nput a 1\n```\n\n```text\ndiagram\n```\n\n\
                      1. Q\n\n   ```rust\n   let x = 1;\n   ```\n";
    const ZH: &str = "# 标题\n\n正文。\n\n```scene\nput a 0\n```\n\n```text\n图\n```\n\n\
                      1. 问\n\n   ```rust\n   let x = 0;\n   ```\n";

    #[test]
    fn shared_blocks_are_scene_and_rust_blocks_with_their_fences_and_indent() {
        let blocks = shared_blocks(EN);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text).collect();
        assert_eq!(
            texts,
            [
                "```scene\nput a 1\n```\n",
                "   ```rust\n   let x = 1;\n   ```\n"
            ]
        );
        for b in &blocks {
            assert_eq!(EN.get(b.range.clone()), Some(b.text));
        }
    }

    #[test]
    fn a_translation_takes_the_original_blocks_and_keeps_its_prose() {
        let synced = with_blocks_of(EN, ZH).expect("same block count");
        assert_eq!(
            synced,
            "# 标题\n\n正文。\n\n```scene\nput a 1\n```\n\n```text\n图\n```\n\n\
             1. 问\n\n   ```rust\n   let x = 1;\n   ```\n"
        );
        assert_eq!(with_blocks_of(EN, &synced).as_deref(), Ok(synced.as_str()));
    }

    #[test]
    fn a_block_added_to_the_original_is_refused() {
        let more = format!("{EN}\n```scene\nflush\n```\n");
        let err = with_blocks_of(&more, ZH).unwrap_err();
        assert!(
            err.contains("3 scene and Rust blocks in the original, 2"),
            "{err}"
        );
    }

    #[test]
    fn an_unclosed_block_is_not_shared() {
        assert!(shared_blocks("```scene\nput a 1\n").is_empty());
    }
}
