use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::*;

fn repository() -> PathBuf {
    crate::repository_root()
}

/// Every `attribute="…"` value in `html`.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let marker = format!("{attribute}=\"");
    html.match_indices(&marker)
        .filter_map(|(i, _)| {
            let rest = html.get(i + marker.len()..)?;
            rest.split('"').next()
        })
        .collect()
}

fn html_files(dir: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            html_files(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
    Ok(())
}

/// Checks that every relative link and script of every page resolves to a
/// file of the site, and every `#fragment` to an id of its page.
fn assert_links_resolve(site: &Path) -> Result<usize> {
    let mut pages = Vec::new();
    html_files(site, &mut pages)?;
    let mut checked = 0;
    for page in &pages {
        let html = fs::read_to_string(page)?;
        let mut targets = attribute_values(&html, "href");
        targets.extend(attribute_values(&html, "src"));
        for target in targets {
            if target.starts_with("http")
                || target.starts_with("data:")
                || target.starts_with("mailto:")
            {
                continue;
            }
            assert!(
                !target.starts_with('/'),
                "{}: absolute link {target}",
                page.display()
            );
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let file = file.split('?').next().unwrap_or(file);
            let dest = if file.is_empty() {
                page.clone()
            } else {
                page.parent().context("no parent")?.join(file)
            };
            assert!(
                dest.is_file(),
                "{}: {target} does not exist",
                page.display()
            );
            let dest = dest.canonicalize()?;
            let is_app = dest == site.canonicalize()?.join("index.html");
            if !fragment.is_empty() && !is_app {
                let text = fs::read_to_string(&dest)?;
                assert!(
                    text.contains(&format!("id=\"{fragment}\"")),
                    "{}: no #{fragment} in {}",
                    page.display(),
                    dest.display()
                );
            }
            checked += 1;
        }
    }
    Ok(checked)
}

#[test]
fn every_chapter_of_the_tutorials_crate_gets_a_page_with_its_scenes() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path();
    fs::write(site.join("index.html"), "the app")?;
    write(&repository(), site)?;
    for chapter in strata_tutorials::CHAPTERS {
        let page = fs::read_to_string(site.join("book/en").join(format!("{}.html", chapter.slug)))?;
        assert!(
            page.contains(&format!(
                "<title>{} — Strata</title>",
                pages::escape(chapter.title)
            )),
            "{}",
            chapter.slug
        );
        let runs = attribute_values(&page, "href")
            .into_iter()
            .filter(|h| h.starts_with(&format!("../../index.html#sc={}:", chapter.slug)))
            .collect::<BTreeSet<_>>();
        assert_eq!(
            runs.len(),
            chapter.scenes().len(),
            "{}: one run link per scene",
            chapter.slug
        );
    }
    let contents = fs::read_to_string(site.join("book/en/index.html"))?;
    let listed = attribute_values(&contents, "href")
        .into_iter()
        .filter(|h| !h.contains('/') && h.ends_with(".html") && *h != "index.html")
        .count();
    // Every chapter, then the glossary and the labs.
    assert_eq!(listed, strata_tutorials::CHAPTERS.len() + 2);
    assert!(assert_links_resolve(site)? > 100);
    Ok(())
}

#[test]
fn both_editions_get_the_glossary_and_chapters_link_to_it() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path();
    fs::write(site.join("index.html"), "the app")?;
    write(&repository(), site)?;
    for (lang, chapters, term) in [
        ("en", strata_tutorials::CHAPTERS, "Tombstone"),
        ("zh", strata_tutorials::CHAPTERS_ZH, "墓碑"),
    ] {
        let glossary = fs::read_to_string(site.join("book").join(lang).join("glossary.html"))?;
        assert!(glossary.contains(term), "{lang}: no {term} in the glossary");
        let contents = fs::read_to_string(site.join("book").join(lang).join("index.html"))?;
        assert!(
            contents.contains("href=\"glossary.html\""),
            "{lang}: contents"
        );
        for chapter in chapters {
            assert!(
                site.join("book")
                    .join(lang)
                    .join(format!("{}.html", chapter.slug))
                    .is_file(),
                "{lang}: {}",
                chapter.slug
            );
        }
        let linking = chapters
            .iter()
            .filter(|c| c.markdown.contains("](glossary.md"))
            .count();
        let linked = chapters
            .iter()
            .filter(|c| {
                fs::read_to_string(
                    site.join("book")
                        .join(lang)
                        .join(format!("{}.html", c.slug)),
                )
                .is_ok_and(|page| page.contains("href=\"glossary.html"))
            })
            .count();
        assert_eq!(linked, linking, "{lang}: glossary links kept as links");
    }
    let labs = fs::read_to_string(site.join("book/en/labs.html"))?;
    assert!(
        labs.contains("<title>Strata labs — Strata</title>"),
        "{labs}"
    );
    assert!(fs::read_to_string(site.join("book/en/search-index.js"))?.contains("glossary.html"));
    assert_links_resolve(site)?;
    Ok(())
}

/// The `##`…`######` headings outside fenced blocks.
fn headings_below_the_title(markdown: &str) -> usize {
    let mut fenced = false;
    let mut count = 0;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with("##") {
            count += 1;
        }
    }
    count
}

#[test]
fn the_search_index_covers_every_section_of_every_chapter() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    write(&repository(), tmp.path())?;
    let script = fs::read_to_string(tmp.path().join("book/en/search-index.js"))?;
    let json = script
        .strip_prefix("window.strataSearchIndex = ")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .context("not one assignment")?;
    let entries: Vec<serde_json::Value> = serde_json::from_str(json)?;
    for chapter in strata_tutorials::CHAPTERS {
        let headings = headings_below_the_title(chapter.markdown);
        let of_chapter = entries.iter().filter(|e| e["c"] == chapter.title).count();
        assert_eq!(
            of_chapter,
            headings + 1,
            "{}: top and one entry per heading below it",
            chapter.slug
        );
    }
    let bloom = entries
        .iter()
        .find(|e| e["u"] == "bloom.html#the-mathematics")
        .context("no bloom maths")?;
    assert!(
        bloom["t"].as_str().is_some_and(|t| t.contains("false")),
        "{bloom}"
    );
    Ok(())
}

#[test]
fn a_second_edition_gets_its_pages_and_links_to_the_first() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let root = tmp.path().join("repo");
    let chapters = root.join(editions::CHAPTERS_DIR);
    fs::create_dir_all(chapters.join("zh"))?;
    fs::write(
        chapters.join("01-why.md"),
        "# Why\n\n## Goals\n\nRead [the log](02-wal.md#goals).\n",
    )?;
    fs::write(
        chapters.join("02-wal.md"),
        "# The log\n\n## Goals\n\nappend\n",
    )?;
    fs::write(
        chapters.join("zh/01-why.md"),
        "# 为什么\n\n## 目标\n\n写入放大\n",
    )?;
    let site = tmp.path().join("site");
    fs::create_dir_all(&site)?;
    fs::write(site.join("index.html"), "the app")?;
    assert_eq!(write(&root, &site)?, 2);
    let zh = fs::read_to_string(site.join("book/zh/why.html"))?;
    assert!(
        zh.contains("<html lang=\"zh\">") && zh.contains("<h2 id=\"目标\">"),
        "{zh}"
    );
    assert!(zh.contains("href=\"../en/why.html\">English</a>"), "{zh}");
    let en = fs::read_to_string(site.join("book/en/wal.html"))?;
    assert!(
        en.contains("href=\"../zh/index.html\">中文</a>"),
        "a chapter zh lacks links to its contents: {en}"
    );
    let editions = fs::read_to_string(site.join("book/index.html"))?;
    assert!(
        editions.contains("href=\"en/index.html\"") && editions.contains("href=\"zh/index.html\"")
    );
    assert!(fs::read_to_string(site.join("book/zh/search-index.js"))?.contains("写入放大"));
    assert_links_resolve(&site)?;
    Ok(())
}

#[test]
fn chinese_pages_open_the_visualizer_in_chinese_and_english_ones_leave_the_choice() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let site = tmp.path();
    fs::write(site.join("index.html"), "the app")?;
    write(&repository(), site)?;
    let mut checked = 0;
    for (dir, chapters, wanted) in [
        ("en", strata_tutorials::CHAPTERS, None),
        ("zh", strata_tutorials::CHAPTERS_ZH, Some("&amp;lang=zh")),
    ] {
        for chapter in chapters {
            let page = fs::read_to_string(
                site.join("book")
                    .join(dir)
                    .join(format!("{}.html", chapter.slug)),
            )
            .with_context(|| format!("{dir}/{}", chapter.slug))?;
            let app_links: Vec<&str> = attribute_values(&page, "href")
                .into_iter()
                .filter(|h| h.starts_with("../../index.html"))
                .collect();
            assert!(
                app_links.len() >= 2 + chapter.scenes().len(),
                "{dir}/{}: {app_links:?}",
                chapter.slug
            );
            for link in app_links {
                match wanted {
                    Some(lang) => assert!(link.ends_with(lang), "{dir}/{}: {link}", chapter.slug),
                    None => assert!(!link.contains("lang="), "{dir}/{}: {link}", chapter.slug),
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} links checked");
    Ok(())
}
