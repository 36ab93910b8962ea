//! Controlled values written by contributors (maturity, status, phase, funding).
//!
//! Contributors write the Bokmål word itself (`status = "sendt departementet"`), which reads
//! naturally in the front matter; the site shows the label in the page's language.

use serde::Serialize;

use crate::i18n::Lang;

/// One allowed value: what contributors write, and how it reads in Nynorsk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term {
    pub value: &'static str,
    nn: &'static str,
    en: &'static str,
}

impl Term {
    const fn new(value: &'static str, nn: &'static str, en: &'static str) -> Term {
        Term { value, nn, en }
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Nb => self.value,
            Lang::Nn => self.nn,
            Lang::En => self.en,
        }
    }

    /// Position in its vocabulary, for ordering (projects by phase follow the phases' order).
    pub fn rank(&self, vocab: &Vocabulary) -> usize {
        vocab
            .terms
            .iter()
            .position(|t| t == self)
            .unwrap_or(usize::MAX)
    }
}

impl Serialize for Term {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.value)
    }
}

#[derive(Debug)]
pub struct Vocabulary {
    /// The field the values belong to, for messages.
    pub field: &'static str,
    pub terms: &'static [Term],
}

impl Vocabulary {
    /// Matches case-insensitively, so "Pilot" is as good as "pilot".
    pub fn find(&self, written: &str) -> Option<Term> {
        let written = written.trim().to_lowercase();
        self.terms
            .iter()
            .find(|t| t.value.to_lowercase() == written)
            .copied()
    }

    pub fn values(&self) -> Vec<&'static str> {
        self.terms.iter().map(|t| t.value).collect()
    }
}

pub static MATURITY: Vocabulary = Vocabulary {
    field: "maturity",
    terms: &[
        Term::new("idé", "idé", "idea"),
        Term::new("pilot", "pilot", "pilot"),
        Term::new("i drift", "i drift", "in operation"),
        Term::new("spredning", "spreiing", "spreading"),
        Term::new("avsluttet", "avslutta", "ended"),
    ],
};

pub static BARRIER_STATUS: Vocabulary = Vocabulary {
    field: "status",
    terms: &[
        Term::new("meldt", "meldt", "reported"),
        Term::new("under vurdering", "under vurdering", "under review"),
        Term::new("løftet til KS", "løfta til KS", "raised with KS"),
        Term::new(
            "sendt departementet",
            "sendt departementet",
            "sent to the ministry",
        ),
        Term::new("løst", "løyst", "resolved"),
        Term::new("avvist", "avvist", "rejected"),
    ],
};

/// Digdir's Prosjektveiviseren phases, in order.
pub static PHASE: Vocabulary = Vocabulary {
    field: "phase",
    terms: &[
        Term::new("idé", "idé", "idea"),
        Term::new("konsept", "konsept", "concept"),
        Term::new("planlegging", "planlegging", "planning"),
        Term::new("gjennomføring", "gjennomføring", "execution"),
        Term::new("avslutning", "avslutning", "closing"),
        Term::new(
            "gevinstrealisering",
            "gevinstrealisering",
            "benefits realisation",
        ),
    ],
};

pub static PROJECT_STATUS: Vocabulary = Vocabulary {
    field: "status",
    terms: &[
        Term::new("planlagt", "planlagt", "planned"),
        Term::new("pågår", "pågår", "ongoing"),
        Term::new("på vent", "på vent", "on hold"),
        Term::new("avsluttet", "avslutta", "ended"),
        Term::new("stanset", "stansa", "stopped"),
    ],
};

pub static FUNDING: Vocabulary = Vocabulary {
    field: "funding",
    terms: &[
        Term::new("DigiFin", "DigiFin", "DigiFin"),
        Term::new(
            "Digdir medfinansiering",
            "Digdir medfinansiering",
            "Digdir co-funding",
        ),
        Term::new("skjønnsmidler", "skjønsmidlar", "discretionary grants"),
        Term::new("egne midler", "eigne midlar", "own funds"),
        Term::new("annet", "anna", "other"),
    ],
};
