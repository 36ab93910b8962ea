//! Synonyms: groups of words and acronyms that mean the same to the people searching
//! («nettfiske», «phishing»; «RPA», «robotisering»; «e-læring», «nettkurs»), in both written
//! standards. They share no letters, so neither stemming nor typo tolerance can join them.
//!
//! The groups are content (`content/referanse/synonymer.toml`, edited through pull requests),
//! not code: the build stores them in the index's commit payload (`meta.json`), which every
//! reader reads anyway, so the browser gets them with the index and no extra request. A query
//! word, or a run of two or three words, that is an entry of a group also matches every other
//! entry of the group: a one-word entry as a term, a longer one as a phrase.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::analysis::{Analyzer, Mode};

/// What the index's commit payload holds: the groups as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

impl Payload {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("strings serialize")
    }

    /// The payload of an index; an index without one (or with another payload) has none.
    pub fn from_json(json: Option<&str>) -> Payload {
        json.and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default()
    }
}

/// An entry as the analyzer sees it: the stems of its words, in order.
pub type Stems = Vec<String>;

/// The groups, analyzed, looked up by an entry's stems.
#[derive(Debug, Default)]
pub struct Synonyms {
    /// Each entry's stems, joined with a space, to the other entries of its group.
    by_entry: HashMap<String, Vec<Stems>>,
    /// The most words any entry has: longer runs of query words are never looked up.
    longest: usize,
}

impl Synonyms {
    pub fn new(groups: &[Vec<String>], analyzer: &Analyzer) -> Synonyms {
        let mut synonyms = Synonyms::default();
        for group in groups {
            let entries: Vec<Stems> = group
                .iter()
                .map(|entry| {
                    analyzer
                        .words(entry, Mode::Query)
                        .into_iter()
                        .map(|w| w.stem)
                        .collect::<Stems>()
                })
                .filter(|stems| !stems.is_empty())
                .collect();
            for (i, entry) in entries.iter().enumerate() {
                let others: Vec<Stems> = entries
                    .iter()
                    .enumerate()
                    .filter(|(j, other)| *j != i && *other != entry)
                    .map(|(_, other)| other.clone())
                    .collect();
                synonyms.longest = synonyms.longest.max(entry.len());
                synonyms
                    .by_entry
                    .entry(entry.join(" "))
                    .or_default()
                    .extend(others);
            }
        }
        synonyms
    }

    /// The other entries of the groups `stems` is an entry of.
    pub fn of(&self, stems: &[String]) -> &[Stems] {
        if stems.is_empty() || stems.len() > self.longest {
            return &[];
        }
        self.by_entry
            .get(&stems.join(" "))
            .map_or(&[], Vec::as_slice)
    }

    pub fn longest(&self) -> usize {
        self.longest
    }

    pub fn is_empty(&self) -> bool {
        self.by_entry.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synonyms() -> Synonyms {
        let groups = vec![
            vec!["nettfiske".into(), "phishing".into()],
            vec![
                "2FA".into(),
                "tofaktorautentisering".into(),
                "to-faktor autentisering".into(),
            ],
        ];
        Synonyms::new(&groups, &Analyzer::default())
    }

    fn stems(text: &str) -> Stems {
        Analyzer::default()
            .words(text, Mode::Query)
            .into_iter()
            .map(|w| w.stem)
            .collect()
    }

    #[test]
    fn an_entry_finds_the_other_entries_of_its_group_in_any_inflection() {
        let synonyms = synonyms();
        assert_eq!(synonyms.of(&stems("phishingen")), [stems("nettfiske")]);
        assert_eq!(synonyms.of(&stems("nettfisket")), [stems("phishing")]);
        let others = synonyms.of(&stems("2FA"));
        assert!(
            others.contains(&stems("to-faktor autentisering")),
            "{others:?}"
        );
        assert!(others.contains(&stems("tofaktorautentisering")));
        assert_eq!(
            synonyms.longest(),
            3,
            "«to-faktor autentisering» is three words"
        );
        assert!(
            synonyms
                .of(&stems("to faktor autentisering"))
                .contains(&stems("2FA"))
        );
        assert!(synonyms.of(&stems("helse")).is_empty());
    }

    #[test]
    fn the_payload_survives_a_round_trip_and_tolerates_none() {
        let payload = Payload {
            synonyms: vec![vec!["a".into(), "b".into()]],
        };
        assert_eq!(Payload::from_json(Some(&payload.to_json())), payload);
        assert_eq!(Payload::from_json(None), Payload::default());
        assert_eq!(Payload::from_json(Some("ikke json")), Payload::default());
    }
}
