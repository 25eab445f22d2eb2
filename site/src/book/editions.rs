//! The editions of the chapters, found on disk: the English chapters are
//! `tutorials/chapters/NN-slug.md`; another language's are in a folder
//! named by its language code, `tutorials/chapters/<lang>/NN-slug.md`.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

/// The labs' description, shown after the English chapters.
pub const LABS_README: &str = "tutorials/labs/README.md";
/// Appendix pages an edition's folder may hold: `(file, slug)`.
const APPENDICES: &[(&str, &str)] = &[("glossary.md", "glossary")];

/// The chapters' folder in the repository.
pub const CHAPTERS_DIR: &str = "tutorials/chapters";
/// The language of the chapters at the top of [`CHAPTERS_DIR`].
pub const DEFAULT_LANG: &str = "en";

/// One language's chapters, in reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edition {
    /// Language code (`en`, `zh`): the edition's folder in the site.
    pub lang: String,
    pub chapters: Vec<ChapterSource>,
    /// Pages after the chapters: the glossary of this edition's folder and,
    /// in the English edition, the labs' description.
    pub appendices: Vec<ChapterSource>,
}

impl Edition {
    /// The edition's name in its own language.
    pub fn label(&self) -> &str {
        match self.lang.as_str() {
            "en" => "English",
            "zh" | "zh-CN" | "zh-Hans" => "中文",
            "fr" => "Français",
            "de" => "Deutsch",
            "es" => "Español",
            "ja" => "日本語",
            other => other,
        }
    }

    /// The chapter or appendix with `slug`, if this edition has one.
    pub fn chapter(&self, slug: &str) -> Option<&ChapterSource> {
        self.pages().find(|c| c.slug == slug)
    }

    /// The chapter or appendix a Markdown link names (`06-bloom.md`,
    /// `./06-bloom.md`, `glossary.md`).
    pub fn chapter_by_file(&self, file: &str) -> Option<&ChapterSource> {
        let file = file.strip_prefix("./").unwrap_or(file);
        self.pages().find(|c| c.file == file)
    }

    /// The chapters, then the appendices.
    pub fn pages(&self) -> impl Iterator<Item = &ChapterSource> {
        self.chapters.iter().chain(&self.appendices)
    }
}

/// One chapter file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChapterSource {
    /// File name, `06-bloom.md`.
    pub file: String,
    /// File name without number and extension, `bloom`: the app's `#ch=`.
    pub slug: String,
    /// The first `# ` heading.
    pub title: String,
    pub markdown: String,
}

/// Every edition under `root`'s chapters folder, English first, then the
/// others by language code. Folders without chapter files are skipped.
pub fn discover(root: &Path) -> Result<Vec<Edition>> {
    let dir = root.join(CHAPTERS_DIR);
    let mut appendices = appendices_in(&dir)?;
    let labs = root.join(LABS_README);
    if labs.is_file() {
        appendices.push(page_at(&labs, "../labs/README.md".to_string(), "labs")?);
    }
    let mut editions = vec![Edition {
        lang: DEFAULT_LANG.to_string(),
        chapters: chapters_in(&dir)?,
        appendices,
    }];
    let mut others = Vec::new();
    for entry in fs::read_dir(&dir).with_context(|| format!("could not read {}", dir.display()))? {
        let entry = entry.with_context(|| format!("could not read {}", dir.display()))?;
        if entry.path().is_dir() {
            let chapters = chapters_in(&entry.path())?;
            if !chapters.is_empty() {
                let lang = entry.file_name().to_string_lossy().into_owned();
                let appendices = appendices_in(&entry.path())?;
                others.push(Edition {
                    lang,
                    chapters,
                    appendices,
                });
            }
        }
    }
    others.sort_by(|a, b| a.lang.cmp(&b.lang));
    editions.extend(others);
    Ok(editions)
}

/// The `NN-slug.md` files of one folder, sorted by name.
fn chapters_in(dir: &Path) -> Result<Vec<ChapterSource>> {
    let mut chapters = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("could not read {}", dir.display()))? {
        let entry = entry.with_context(|| format!("could not read {}", dir.display()))?;
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(slug) = slug_of(&file) else { continue };
        let markdown = fs::read_to_string(entry.path())
            .with_context(|| format!("could not read {}", entry.path().display()))?;
        let title = title_of(&markdown).unwrap_or(slug).to_string();
        chapters.push(ChapterSource {
            slug: slug.to_string(),
            file,
            title,
            markdown,
        });
    }
    chapters.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(chapters)
}

/// The appendix pages of one edition's folder, in [`APPENDICES`] order.
fn appendices_in(dir: &Path) -> Result<Vec<ChapterSource>> {
    let mut pages = Vec::new();
    for (file, slug) in APPENDICES {
        let path = dir.join(file);
        if path.is_file() {
            pages.push(page_at(&path, (*file).to_string(), slug)?);
        }
    }
    Ok(pages)
}

/// The page read from `path`, which chapters link to as `file`.
fn page_at(path: &Path, file: String, slug: &str) -> Result<ChapterSource> {
    let markdown =
        fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))?;
    let title = title_of(&markdown).unwrap_or(slug).to_string();
    Ok(ChapterSource {
        file,
        slug: slug.to_string(),
        title,
        markdown,
    })
}

/// `06-bloom.md` → `bloom`; `None` for files that are not chapters.
pub fn slug_of(file: &str) -> Option<&str> {
    let stem = file.strip_suffix(".md")?;
    let (number, slug) = stem.split_once('-')?;
    let numbered = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    (numbered && !slug.is_empty()).then_some(slug)
}

fn title_of(markdown: &str) -> Option<&str> {
    markdown
        .lines()
        .find_map(|line| line.strip_prefix("# "))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_numbered_markdown_files_are_chapters() {
        assert_eq!(slug_of("06-bloom.md"), Some("bloom"));
        assert_eq!(
            slug_of("09-leveled-compaction.md"),
            Some("leveled-compaction")
        );
        assert_eq!(slug_of("README.md"), None);
        assert_eq!(slug_of("SUMMARY.md"), None);
        assert_eq!(slug_of("06-bloom.txt"), None);
        assert_eq!(slug_of("x6-bloom.md"), None);
    }

    #[test]
    fn a_language_folder_becomes_a_second_edition() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path().join(CHAPTERS_DIR);
        fs::create_dir_all(dir.join("zh"))?;
        fs::create_dir_all(dir.join("images"))?;
        fs::write(dir.join("02-wal.md"), "# The log\n")?;
        fs::write(dir.join("01-why.md"), "intro\n# Why\n")?;
        fs::write(dir.join("README.md"), "# Not a chapter\n")?;
        fs::write(dir.join("zh/01-why.md"), "# 为什么\n")?;
        let editions = discover(tmp.path())?;
        let summary: Vec<(String, Vec<(String, String)>)> = editions
            .iter()
            .map(|e| {
                let chapters = e.chapters.iter().map(|c| (c.slug.clone(), c.title.clone()));
                (e.lang.clone(), chapters.collect())
            })
            .collect();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            summary,
            vec![
                (
                    "en".to_string(),
                    vec![pair("why", "Why"), pair("wal", "The log")]
                ),
                ("zh".to_string(), vec![pair("why", "为什么")]),
            ]
        );
        Ok(())
    }
}
