//! The top of a record's page: the key facts of its kind in a compact strip under the lead,
//! and "Innhold på siden" with the template's own sections as well as the body's headings.
//! Everything is decided here so the templates only lay it out.

use chrono::NaiveDate;
use serde::Serialize;

use super::Site;
use super::views::DateView;
use crate::content::{Barrier, Details, Practice, Project, Record};
use crate::i18n::Lang;
use crate::markdown::TocEntry;
use crate::norwegian::slugify;

/// How many names a fact lists before it says how many there are in all.
const NAMES_SHOWN: usize = 3;

/// One fact in the strip: a label and its value, which may be a badge, a link or a date.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFact {
    pub label: String,
    pub text: String,
    /// A link for the value; empty when there is none.
    pub url: String,
    /// CSS classes of a badge around the value (`status--lost`); empty for plain text.
    pub badge: String,
    pub date: Option<DateView>,
    /// A short addition after the value ("412 dager").
    pub detail: String,
}

impl KeyFact {
    fn text(label: &str, text: impl Into<String>) -> KeyFact {
        KeyFact {
            label: label.to_string(),
            text: text.into(),
            url: String::new(),
            badge: String::new(),
            date: None,
            detail: String::new(),
        }
    }
}

/// The date a build's content speaks from: the newest date written in it or found in Git. A
/// barrier's days in its status count to this date, never to the clock, so a build is
/// reproducible.
pub fn content_date(records: &[&Record]) -> NaiveDate {
    records
        .iter()
        .flat_map(|r| {
            let log = match &r.details {
                Details::Barrier(b) => b.status_log.iter().map(|s| s.date).max(),
                _ => None,
            };
            [Some(r.common.published), r.common.updated, log]
        })
        .flatten()
        .max()
        .unwrap_or(NaiveDate::MIN)
}

/// The sections of a record's page, as the kind's template lays them out: the id of each
/// heading (in `markdown::TEMPLATE_IDS`), its interface string, and whether the record has it.
/// `BODY` marks where the body's own headings go.
const BODY: &str = "";

impl Site<'_> {
    fn word(&self, lang: Lang, key: &str) -> String {
        self.strings.get(lang, key).to_string()
    }

    /// The key facts of a record, by kind.
    pub fn key_facts(&self, record: &Record) -> Vec<KeyFact> {
        let lang = record.common.language;
        match &record.details {
            Details::Barrier(b) => self.barrier_facts(record, b, lang),
            Details::Project(p) => self.project_facts(p, lang),
            Details::Practice(p) => self.practice_facts(record, p, lang),
        }
    }

    fn barrier_facts(&self, record: &Record, b: &Barrier, lang: Lang) -> Vec<KeyFact> {
        let ministry = &self.loaded.reference.ministries[&b.ministry];
        let mut facts = vec![
            KeyFact {
                badge: format!("status--{}", slugify(b.status.value)),
                ..KeyFact::text(&self.word(lang, "status"), b.status.label(lang))
            },
            KeyFact::text(
                &self.word(lang, "ministry"),
                format!("{} ({})", ministry.name(lang), ministry.short),
            ),
        ];
        if let Some(first) = b.legal_references.first() {
            facts.push(KeyFact {
                url: first.url.clone().unwrap_or_default(),
                ..KeyFact::text(&self.word(lang, "facts_law"), first.citation())
            });
        }
        let since = b.status_since(record.common.published);
        let days = (self.content_date - since).num_days().max(0);
        let unit = if days == 1 { "facts_day" } else { "facts_days" };
        facts.push(KeyFact {
            date: Some(DateView::new(since, lang)),
            detail: format!("{days} {}", self.word(lang, unit)),
            ..KeyFact::text(&self.word(lang, "facts_status_since"), "")
        });
        facts
    }

    fn project_facts(&self, p: &Project, lang: Lang) -> Vec<KeyFact> {
        let mut facts = vec![
            KeyFact::text(&self.word(lang, "phase"), p.phase.label(lang)),
            KeyFact {
                badge: format!("project-status--{}", slugify(p.status.value)),
                ..KeyFact::text(&self.word(lang, "status"), p.status.label(lang))
            },
            KeyFact::text(&self.word(lang, "owner"), p.owner.clone()),
        ];
        if p.start.is_some() || p.end.is_some() {
            // Each date kept on one line: the period breaks only at the dash.
            let date = |d: Option<NaiveDate>| {
                d.map_or_else(String::new, |d| {
                    crate::norwegian::format_date(d, lang).replace(' ', "\u{a0}")
                })
            };
            facts.push(KeyFact::text(
                &self.word(lang, "period"),
                format!("{} – {}", date(p.start), date(p.end)),
            ));
        }
        if !p.funding.is_empty() {
            let funding: Vec<&str> = p.funding.iter().map(|f| f.label(lang)).collect();
            facts.push(KeyFact::text(
                &self.word(lang, "funding"),
                funding.join(", "),
            ));
        }
        facts
    }

    fn practice_facts(&self, record: &Record, p: &Practice, lang: Lang) -> Vec<KeyFact> {
        let reference = &self.loaded.reference;
        let mut facts = vec![KeyFact::text(
            &self.word(lang, "maturity"),
            p.maturity.label(lang),
        )];
        let c = &record.common;
        let municipalities: Vec<String> = c
            .municipalities
            .iter()
            .map(|n| reference.municipalities[n].name.clone())
            .collect();
        if !municipalities.is_empty() {
            facts.push(self.names_fact(lang, "municipalities", &municipalities));
        }
        let solutions: Vec<String> = c
            .solutions
            .iter()
            .map(|id| reference.solutions[id].name.clone())
            .collect();
        if !solutions.is_empty() {
            facts.push(self.names_fact(lang, "solutions", &solutions));
        }
        facts
    }

    /// «3: Bergen, Voss, Stord» or «7: Bergen, Voss, Stord og 4 til».
    fn names_fact(&self, lang: Lang, key: &str, names: &[String]) -> KeyFact {
        let shown = names[..names.len().min(NAMES_SHOWN)].join(", ");
        let rest = names.len().saturating_sub(NAMES_SHOWN);
        let text = if rest == 0 {
            shown
        } else {
            format!(
                "{shown} {} {rest} {}",
                self.word(lang, "facts_and"),
                self.word(lang, "facts_more")
            )
        };
        KeyFact {
            detail: format!("({})", names.len()),
            ..KeyFact::text(&self.word(lang, key), text)
        }
    }

    /// "Innhold på siden": the template's sections the record has, with the body's headings
    /// below the section that holds the body.
    pub fn record_toc(&self, record: &Record, body_toc: &[TocEntry]) -> Vec<TocEntry> {
        let lang = record.common.language;
        let mut toc = Vec::new();
        for (id, key, present) in sections(record) {
            if !present {
                continue;
            }
            if id == BODY {
                toc.extend(body_toc.iter().cloned());
                continue;
            }
            toc.push(TocEntry {
                level: 2,
                title: self.word(lang, key),
                id: id.to_string(),
            });
        }
        toc
    }
}

/// The sections of a record's page in the order its template shows them: (heading id,
/// interface string, whether the record has the section). The body's headings follow the
/// section that holds the body (`BODY`). Sources, contact and related records close every page.
fn sections(record: &Record) -> Vec<(&'static str, &'static str, bool)> {
    let c = &record.common;
    let mut list = match &record.details {
        Details::Barrier(b) => vec![
            ("section-status-log", "status_log", !b.status_log.is_empty()),
            ("section-legal", "legal_references", true),
            ("section-blocks", "what_blocks", true),
            (BODY, "", true),
            ("section-consequence", "consequence", true),
            ("section-proposal", "proposed_change", true),
        ],
        Details::Project(p) => vec![
            ("section-purpose", "purpose", true),
            ("section-about", "about_project", true),
            (BODY, "", true),
            (
                "section-deliverables",
                "deliverables",
                !p.deliverables.is_empty(),
            ),
            ("section-results", "results_so_far", p.results.is_some()),
        ],
        Details::Practice(p) => vec![
            ("section-problem", "problem", true),
            ("section-what", "what_we_did", true),
            (BODY, "", true),
            ("section-results", "results", p.results.is_some()),
            ("section-lessons", "lessons", p.lessons.is_some()),
            ("section-reuse", "reuse", p.reuse.is_some()),
            (
                "section-attachments",
                "attachments",
                !p.attachments.is_empty(),
            ),
        ],
    };
    list.extend([
        ("section-sources", "sources", !c.sources.is_empty()),
        ("section-contact", "contact_network", true),
    ]);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::StatusChange;
    use crate::content::vocab::BARRIER_STATUS;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    fn barrier(status: &str, log: &[(u32, &str)]) -> Barrier {
        Barrier {
            legal_references: Vec::new(),
            ministry: "kdd".into(),
            agency: None,
            consequence: Default::default(),
            proposed_change: Default::default(),
            reported_by: "x".into(),
            status: BARRIER_STATUS.find(status).unwrap(),
            status_log: log
                .iter()
                .map(|(d, s)| StatusChange {
                    date: day(*d),
                    status: BARRIER_STATUS.find(s).unwrap(),
                    note: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_status_dates_from_the_first_entry_of_its_last_run_in_the_log() {
        let b = barrier(
            "meldt",
            &[
                (1, "meldt"),
                (5, "under vurdering"),
                (9, "meldt"),
                (12, "meldt"),
            ],
        );
        assert_eq!(b.status_since(day(1)), day(9));
    }

    #[test]
    fn a_status_the_log_never_names_dates_from_publication() {
        let b = barrier("løst", &[(2, "meldt")]);
        assert_eq!(b.status_since(day(1)), day(1));
        assert_eq!(barrier("meldt", &[]).status_since(day(3)), day(3));
    }
}
