//! The glossary: the terms the panels use. Their names are in the message
//! catalogue; their definitions come from the tutorials' glossary
//! ([`strata_tutorials::glossary`]), the one source of truth the chapters
//! also show, in the language asked for.

use super::i18n::{Lang, Msg};
use strata_tutorials::glossary;

/// A term of the glossary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// Write-ahead log.
    Wal,
    /// Memtable.
    Memtable,
    /// Sorted string table.
    Sstable,
    /// Level.
    Level,
    /// Run.
    Run,
    /// Bloom filter.
    Bloom,
    /// Tombstone.
    Tombstone,
    /// Compaction.
    Compaction,
    /// Write, read and space amplification.
    Amplification,
}

impl Term {
    /// Every term, in glossary order.
    pub const ALL: [Term; 9] = [
        Term::Wal,
        Term::Memtable,
        Term::Sstable,
        Term::Level,
        Term::Run,
        Term::Bloom,
        Term::Tombstone,
        Term::Compaction,
        Term::Amplification,
    ];

    /// Its id (for element ids).
    pub fn id(self) -> &'static str {
        match self {
            Term::Wal => "wal",
            Term::Memtable => "memtable",
            Term::Sstable => "sstable",
            Term::Level => "level",
            Term::Run => "run",
            Term::Bloom => "bloom",
            Term::Tombstone => "tombstone",
            Term::Compaction => "compaction",
            Term::Amplification => "amplification",
        }
    }

    /// The English names of the tutorials' glossary entries this term
    /// stands for: one, or the three amplifications.
    pub fn sources(self) -> &'static [&'static str] {
        match self {
            Term::Wal => &["write-ahead log"],
            Term::Memtable => &["memtable"],
            Term::Sstable => &["SSTable"],
            Term::Level => &["level"],
            Term::Run => &["sorted run"],
            Term::Bloom => &["bloom filter"],
            Term::Tombstone => &["tombstone"],
            Term::Compaction => &["compaction"],
            Term::Amplification => &[
                "write amplification",
                "read amplification",
                "space amplification",
            ],
        }
    }

    /// Its definition in `lang`, from the tutorials' glossary. A term that
    /// stands for several entries names each before its definition.
    pub fn definition_in(self, lang: Lang) -> String {
        let edition = lang.edition();
        let entries: Vec<&glossary::Term> = self
            .sources()
            .iter()
            .filter_map(|name| glossary::term(name))
            .collect();
        if let [entry] = entries.as_slice() {
            return entry.definition(edition).to_owned();
        }
        let parts: Vec<String> = entries
            .iter()
            .map(|entry| {
                let name = capitalised(entry.name(edition));
                match lang {
                    Lang::En => format!("{name}: {}", entry.definition(edition)),
                    Lang::Zh => format!("{name}：{}", entry.definition(edition)),
                }
            })
            .collect();
        match lang {
            Lang::En => parts.join(" "),
            Lang::Zh => parts.concat(),
        }
    }

    /// Its name.
    pub fn name(self) -> Msg<'static> {
        Msg::TermName(self)
    }

    /// Its definition.
    pub fn definition(self) -> Msg<'static> {
        Msg::TermDefinition(self)
    }
}

/// `name` with its first letter in upper case (a sentence's start).
fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::i18n::{text, tr};

    #[test]
    fn every_term_has_a_name_and_a_sentence() {
        let mut ids = Vec::new();
        for term in Term::ALL {
            let name = tr(&term.name());
            let definition = tr(&term.definition());
            assert!(!name.is_empty());
            assert!(
                definition.ends_with('.') && definition.len() > 30,
                "{definition}"
            );
            ids.push(term.id());
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Term::ALL.len());
    }

    #[test]
    fn every_source_is_in_the_tutorials_glossary() {
        for term in Term::ALL {
            for name in term.sources() {
                assert!(glossary::term(name).is_some(), "{term:?}: {name}");
            }
        }
    }

    #[test]
    fn definitions_are_the_tutorials_sentences_in_the_language_asked() {
        let wal = glossary::term("write-ahead log").map(|t| (t.en_definition, t.zh_definition));
        let (en, zh) = wal.unwrap_or_default();
        assert!(!en.is_empty() && !zh.is_empty());
        assert_eq!(Term::Wal.definition_in(Lang::En), en);
        assert_eq!(Term::Wal.definition_in(Lang::Zh), zh);
        assert_eq!(text(Lang::En, &Term::Wal.definition()), en);
        assert_eq!(text(Lang::Zh, &Term::Wal.definition()), zh);
    }

    #[test]
    fn the_amplifications_name_each_of_the_three() {
        let en = Term::Amplification.definition_in(Lang::En);
        for name in [
            "Write amplification:",
            "Read amplification:",
            "Space amplification:",
        ] {
            assert!(en.contains(name), "{en}");
        }
        let zh = Term::Amplification.definition_in(Lang::Zh);
        for name in ["写放大", "读放大", "空间放大"] {
            assert!(zh.contains(name), "{zh}");
        }
    }
}
