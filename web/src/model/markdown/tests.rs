#![allow(clippy::unwrap_used)]

use strata_tutorials::CHAPTERS;

use super::*;

/// Every node of the tree, depth first, with whether it lies inside a
/// `<details>` element.
fn walk<'a>(nodes: &'a [Node], in_details: bool, out: &mut Vec<(&'a Node, bool)>) {
    for node in nodes {
        out.push((node, in_details));
        if let Node::Element(tag, children) = node {
            walk(children, in_details || *tag == Tag::Details, out);
        }
    }
}

fn all(nodes: &[Node]) -> Vec<(&Node, bool)> {
    let mut out = Vec::new();
    walk(nodes, false, &mut out);
    out
}

#[test]
fn headings_carry_their_level_and_an_id() {
    let doc = parse("# Bloom filters\n\n## Try it: *false* positives\n");
    assert_eq!(
        doc.first(),
        Some(&Node::Element(
            Tag::Heading {
                level: 1,
                id: "bloom-filters".into()
            },
            vec![Node::Text("Bloom filters".into())]
        ))
    );
    assert!(matches!(
        doc.get(1),
        Some(Node::Element(Tag::Heading { level: 2, id }, _)) if id == "try-it-false-positives"
    ));
}

#[test]
fn answers_are_hidden_in_details_with_their_summary() {
    let md = "Question?\n\n<details><summary>Answer</summary>\n\nIt is **42**.\n\n```text\nforty-two\n```\n\n</details>\n\nAfter.\n";
    let doc = parse(md);
    let nodes = all(&doc);
    let details = doc
        .iter()
        .find(|n| matches!(n, Node::Element(Tag::Details, _)))
        .unwrap();
    let Node::Element(_, children) = details else {
        unreachable!()
    };
    assert_eq!(
        children.first(),
        Some(&Node::Element(
            Tag::Summary,
            vec![Node::Text("Answer".into())]
        ))
    );
    assert!(details.plain_text().contains("It is 42."), "{doc:?}");
    assert!(details.plain_text().contains("forty-two"));
    for (node, hidden) in nodes {
        if node.plain_text().contains("42") && !matches!(node, Node::Element(Tag::Details, _)) {
            assert!(hidden, "the answer shows outside <details>: {node:?}");
        }
    }
    assert!(
        matches!(doc.last(), Some(Node::Element(Tag::Paragraph, _))),
        "After. is outside"
    );
    assert!(
        !doc.iter().any(|n| n.plain_text().contains("<details")),
        "no tag shown as text"
    );
}

#[test]
fn other_raw_html_is_text_not_markup() {
    let md = "<script>alert(1)</script>\n\nA <img src=x onerror=alert(1)> inline.\n\n</details>\n";
    let doc = parse(md);
    let text: String = doc.iter().map(Node::plain_text).collect();
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    assert!(text.contains("</details>"), "an unmatched close is text");
    assert!(all(&doc)
        .iter()
        .all(|(n, _)| !matches!(n, Node::Element(Tag::Details | Tag::Summary, _))));
}

#[test]
fn links_are_classified() {
    let md = "[next](07-read-path.md), [goals](./06-bloom.md#learning-goals), [up](#try-it), [web](https://example.org/a), [file](../../engine/src/bloom.rs), [nope](99-nope.md)";
    let doc = parse(md);
    let targets: Vec<LinkTarget> = all(&doc)
        .into_iter()
        .filter_map(|(n, _)| match n {
            Node::Element(Tag::Link(t), _) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        targets,
        vec![
            LinkTarget::Chapter {
                slug: "read-path",
                anchor: None
            },
            LinkTarget::Chapter {
                slug: "bloom",
                anchor: Some("learning-goals".into())
            },
            LinkTarget::Heading("try-it".into()),
            LinkTarget::External("https://example.org/a".into()),
            LinkTarget::Other("../../engine/src/bloom.rs".into()),
            LinkTarget::Other("99-nope.md".into()),
        ]
    );
}

#[test]
fn code_blocks_lists_tables_and_quotes_have_their_elements() {
    let md = "```rust\n# use x;\nlet a = 1;\n## not hidden\n```\n\n```text\n# kept\n```\n\n- one `code`\n- two\n\n3. three\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n> quoted _emph_ ~~gone~~\n\n---\n";
    let doc = parse(md);
    assert_eq!(
        doc.first(),
        Some(&Node::CodeBlock {
            lang: "rust".into(),
            text: "let a = 1;\n# not hidden\n".into()
        })
    );
    assert_eq!(
        doc.get(1),
        Some(&Node::CodeBlock {
            lang: "text".into(),
            text: "# kept\n".into()
        })
    );
    assert!(matches!(doc.get(2), Some(Node::Element(Tag::List(None), items)) if items.len() == 2));
    assert!(matches!(
        doc.get(3),
        Some(Node::Element(Tag::List(Some(3)), _))
    ));
    let Some(Node::Element(Tag::Table(aligns), rows)) = doc.get(4) else {
        panic!("{doc:?}")
    };
    assert_eq!(aligns, &vec![Align::Left, Align::Right]);
    assert!(matches!(rows.first(), Some(Node::Element(Tag::TableHead, cells)) if cells.len() == 2));
    assert!(
        matches!(rows.get(1), Some(Node::Element(Tag::TableRow, cells))
        if cells.get(1) == Some(&Node::Element(Tag::TableCell(Align::Right), vec![Node::Text("2".into())])))
    );
    let quote = doc.get(5).unwrap();
    assert!(matches!(quote, Node::Element(Tag::Quote, _)));
    let kinds: Vec<&Tag> = all(std::slice::from_ref(quote))
        .into_iter()
        .filter_map(|(n, _)| match n {
            Node::Element(t, _) => Some(t),
            _ => None,
        })
        .collect();
    assert!(kinds.contains(&&Tag::Emphasis) && kinds.contains(&&Tag::Strikethrough));
    assert_eq!(doc.get(6), Some(&Node::Rule));
}

#[test]
fn every_chapter_converts_with_its_scenes_and_answers() {
    for chapter in CHAPTERS {
        let doc = parse(chapter.markdown);
        let nodes = all(&doc);
        let scenes: Vec<(usize, &str)> = nodes
            .iter()
            .filter_map(|(n, _)| match n {
                Node::Scene { index, text } => Some((*index, text.as_str())),
                _ => None,
            })
            .collect();
        let blocks = chapter.scenes();
        assert_eq!(scenes.len(), blocks.len(), "{}", chapter.slug);
        for ((index, text), (i, block)) in scenes.iter().zip(blocks.iter().enumerate()) {
            assert_eq!(*index, i);
            let ours: Vec<&str> = text.lines().map(str::trim).collect();
            let theirs: Vec<&str> = block.text.lines().map(str::trim).collect();
            assert_eq!(ours, theirs, "{} scene {i}", chapter.slug);
        }
        let answers = nodes
            .iter()
            .filter(|(n, _)| matches!(n, Node::Element(Tag::Details, _)))
            .count();
        let written = chapter.markdown.matches("<details>").count();
        assert_eq!(
            answers, written,
            "{}: every <details> is an element",
            chapter.slug
        );
        let text: String = doc.iter().map(Node::plain_text).collect();
        assert!(
            !text.contains("<details") && !text.contains("</summary>"),
            "{}: a tag shows as text",
            chapter.slug
        );
    }
}
