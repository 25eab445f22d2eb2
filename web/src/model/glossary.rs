//! The glossary: the terms the panels use, each with a one-sentence
//! definition in the message catalogue.

use super::i18n::Msg;

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

    /// Its name.
    pub fn name(self) -> Msg<'static> {
        Msg::TermName(self)
    }

    /// Its definition.
    pub fn definition(self) -> Msg<'static> {
        Msg::TermDefinition(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::i18n::tr;

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
}
