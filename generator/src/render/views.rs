//! What templates see: plain serializable views of records and terms, with labels already in
//! the page's language, dates already formatted and URLs already resolved. Templates stay
//! logic-free; everything a reader needs is decided here.

use chrono::NaiveDate;
use serde::Serialize;

use super::Site;
use super::resolve::MarkdownField;
use super::urls::{self, RepositoryAction, Taxonomy};
use crate::content::{Details, Link, Owner, Record, RecordKind};
use crate::i18n::Lang;
use crate::markdown::TocEntry;
use crate::norwegian::{format_date, slugify};

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

impl DateView {
    pub fn new(date: NaiveDate, lang: Lang) -> DateView {
        DateView {
            iso: date.to_string(),
            text: format_date(date, lang),
        }
    }
}

/// A named link; `url` is empty when there is nothing to link to.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub name: String,
    pub url: String,
}

impl From<&Link> for LinkView {
    fn from(link: &Link) -> LinkView {
        LinkView {
            name: link.title.clone(),
            url: link.url.clone(),
        }
    }
}

/// A record as it appears in lists.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: String,
    /// The name of the kind's overview ("Erfaringer"), for breadcrumbs.
    pub kind_plural: String,
    pub title: String,
    pub summary: String,
    pub url: String,
    pub lang: Lang,
    pub published: DateView,
    pub networks: Vec<LinkView>,
    /// Maturity, status or phase: the one fact that tells a reader where the record stands.
    pub badge: String,
    /// The badge's classes (`status--meldt`, `project-status--stanset`); empty for plain.
    pub badge_class: String,
    /// A project's status (when it is not plainly ongoing), owner and period (`register.rs`).
    pub project: Option<super::register::ProjectFacts>,
}

/// A record on a list of links (`macros.html`'s `entries`: related records, a term's, a
/// network's or a filtered register's list): what its link and line show, borrowed from its
/// card. A record is on many such lists, so serializing its whole card for each, summary and
/// all, was most of what those lists cost.
#[derive(Debug, Clone, Serialize)]
pub struct Entry<'a> {
    pub url: &'a str,
    pub lang: Lang,
    pub title: &'a str,
    pub kind_label: &'a str,
    pub badge: &'a str,
    pub published: &'a DateView,
    /// A project's status, when the card shows it beside the badge.
    pub status: Option<&'a str>,
}

impl Card {
    /// The card as a line on a list of links.
    pub fn entry(&self) -> Entry<'_> {
        Entry {
            url: &self.url,
            lang: self.lang,
            title: &self.title,
            kind_label: &self.kind_label,
            badge: &self.badge,
            published: &self.published,
            status: self.project.as_ref().and_then(|p| p.status.as_deref()),
        }
    }
}

/// A record's own page.
#[derive(Debug, Clone, Serialize)]
pub struct RecordView<'a> {
    #[serde(flatten)]
    pub card: &'a Card,
    pub updated: Option<DateView>,
    pub body: &'a str,
    pub toc: Vec<TocEntry>,
    pub service_areas: Vec<LinkView>,
    pub solutions: Vec<LinkView>,
    pub municipalities: Vec<LinkView>,
    pub tags: Vec<LinkView>,
    pub contact: Option<String>,
    pub sources: Vec<LinkView>,
    pub publisher: String,
    pub edit_url: Option<String>,
    /// The file's history on GitHub.
    pub history_url: Option<String>,
    /// Who changed the file, from Git: people who agreed by name, others as organisations.
    pub contributors: Vec<String>,
    /// The fields of the record's kind, under the kind's name (`record.practice.problem`).
    #[serde(flatten)]
    pub details: DetailsView,
    /// Found with the search index at build time; filled in by the page that shows the record.
    pub related: Vec<Entry<'a>>,
    /// Issue 15: the kind's key facts for the strip under the lead, and how to reach the
    /// network behind the record (see `facts.rs`, `contact.rs`).
    pub key_facts: Vec<super::facts::KeyFact>,
    pub contact_network: super::contact::ContactView,
    /// The PDFs in the record's folder, published with it.
    pub documents: Vec<DocumentView>,
}

/// A document published with a record: «rapport.pdf», «PDF, 1,2 MB».
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub name: String,
    pub url: String,
    pub kind: &'static str,
    pub size: String,
}

/// What only one kind of record has; each kind's template reads its own.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DetailsView {
    Practice(PracticeView),
    Barrier(BarrierView),
    Project(ProjectView),
}

#[derive(Debug, Clone, Serialize)]
pub struct PracticeView {
    pub problem: String,
    pub maturity: String,
    pub results: Option<String>,
    pub lessons: Option<String>,
    pub reuse: Option<String>,
    pub attachments: Vec<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegalReferenceView {
    pub law: String,
    pub section: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusChangeView {
    pub date: DateView,
    pub status: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BarrierView {
    pub legal_references: Vec<LegalReferenceView>,
    pub ministry: String,
    pub ministry_short: String,
    pub agency: Option<String>,
    pub consequence: String,
    pub proposed_change: String,
    pub reported_by: String,
    pub status: String,
    /// A CSS-safe form of the status, for its colour.
    pub status_class: String,
    pub status_log: Vec<StatusChangeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectView {
    pub purpose: String,
    pub phase: String,
    pub status: String,
    pub owner: String,
    pub participants: Vec<String>,
    pub funding: Vec<String>,
    pub start: Option<DateView>,
    pub end: Option<DateView>,
    pub deliverables: Vec<String>,
    pub results: Option<String>,
}

impl Site<'_> {
    pub fn kind_label(&self, kind: RecordKind, lang: Lang) -> String {
        self.strings.get(lang, kind.id()).to_string()
    }

    /// The one fact a card and the top of a record's page show: maturity, status, or a
    /// project's phase, unless it is stopped or paused, when its status
    /// (`register::status_is_badge`).
    pub fn badge(&self, record: &Record, lang: Lang) -> String {
        match &record.details {
            Details::Practice(p) => p.maturity.label(lang).to_string(),
            Details::Barrier(b) => b.status.label(lang).to_string(),
            Details::Project(p) if super::register::status_is_badge(p) => {
                p.status.label(lang).to_string()
            }
            Details::Project(p) => p.phase.label(lang).to_string(),
        }
    }

    /// The badge's style: a barrier's or a shown project status's colours.
    pub fn badge_class(&self, record: &Record) -> String {
        match &record.details {
            Details::Barrier(b) => format!("status--{}", slugify(b.status.value)),
            Details::Project(p) if super::register::status_is_badge(p) => {
                format!("project-status--{}", slugify(p.status.value))
            }
            _ => String::new(),
        }
    }

    pub fn network_link(&self, id: &str) -> LinkView {
        let network = &self.loaded.networks[id];
        LinkView {
            name: network.name.clone(),
            url: self.urls.page(&network.path()),
        }
    }

    /// The card of the record at `at` in `records`, in `lang`: made the first time a page
    /// shows it and then reused. A record is shown on many pages (its kind's overview, its
    /// network's and terms' lists, five others' related lists): at 100,000 records that was
    /// 850,000 cards made, most of them again and again.
    pub fn card(&self, at: usize, lang: Lang) -> &Card {
        self.cards[at][lang as usize]
            .get_or_init(|| Box::new(self.make_card(self.records[at], lang)))
    }

    fn make_card(&self, record: &Record, lang: Lang) -> Card {
        Card {
            id: record.id(),
            kind: record.kind.id(),
            kind_label: self.kind_label(record.kind, lang),
            kind_plural: self.strings.get(lang, record.kind.plural()).to_string(),
            title: record.common.title.clone(),
            summary: record.common.summary.clone(),
            url: self.urls.page(&record.path()),
            lang: record.common.language,
            published: DateView::new(record.common.published, lang),
            networks: record
                .common
                .networks
                .iter()
                .map(|n| self.network_link(n))
                .collect(),
            badge: self.badge(record, lang),
            badge_class: self.badge_class(record),
            project: super::register::project_facts(record, lang),
        }
    }

    /// "status: meldt → løst" for each controlled value the record's last change moved.
    pub fn change_notes(&self, record: &Record, lang: Lang) -> Vec<String> {
        record
            .changes
            .iter()
            .map(|c| {
                let from = c.from.map_or("–", |t| t.label(lang));
                format!(
                    "{}: {from} → {}",
                    self.strings.get(lang, c.field).to_lowercase(),
                    c.to.label(lang)
                )
            })
            .collect()
    }

    /// New rather than changed: Git saw one version, or (without Git) there is no `updated`.
    pub fn is_new(&self, record: &Record) -> bool {
        match &record.history {
            Some(h) => h.previous.is_none() && h.first == h.last,
            None => record.common.updated.is_none(),
        }
    }

    pub fn service_area_link(&self, id: &str, lang: Lang) -> LinkView {
        LinkView {
            name: self.loaded.reference.service_areas[id]
                .name(lang)
                .to_string(),
            url: self.urls.page(&Taxonomy::ServiceArea.term_path(id)),
        }
    }

    pub fn solution_link(&self, id: &str) -> LinkView {
        LinkView {
            name: self.loaded.reference.solutions[id].name.clone(),
            url: self.urls.page(&Taxonomy::Solution.term_path(id)),
        }
    }

    /// Links to the municipality's page when one exists (a record mentions it), else plain text.
    pub fn municipality_link(&self, number: &str) -> LinkView {
        let m = &self.loaded.reference.municipalities[number];
        let url = if self.mentioned_municipalities.contains(number) {
            self.urls.page(&Taxonomy::Municipality.term_path(&m.slug()))
        } else {
            String::new()
        };
        LinkView {
            name: m.name.clone(),
            url,
        }
    }

    pub fn tag_link(&self, tag: &str) -> LinkView {
        LinkView {
            name: tag.to_string(),
            url: self
                .urls
                .page(&Taxonomy::Tag.term_path(&super::tags::slug(tag))),
        }
    }

    pub fn record_view(&self, index: usize) -> RecordView<'_> {
        let record = &self.records[index];
        let html = &self.html[index];
        let lang = record.common.language;
        let c = &record.common;
        let publisher = match &record.owner {
            Owner::Network(id) => self.loaded.networks[id].name.clone(),
            Owner::National => "KS".to_string(),
        };
        let repository_file = |action| {
            self.loaded
                .config
                .repository
                .as_ref()
                .map(|repo| urls::repository_file(repo, action, &record.file))
        };
        RecordView {
            card: self.card(index, lang),
            updated: c.updated.map(|d| DateView::new(d, lang)),
            body: &html.body.html,
            toc: self.record_toc(record, &html.body.toc),
            service_areas: c
                .service_areas
                .iter()
                .map(|id| self.service_area_link(id, lang))
                .collect(),
            solutions: c
                .solutions
                .iter()
                .map(|id| self.solution_link(id))
                .collect(),
            municipalities: c
                .municipalities
                .iter()
                .map(|n| self.municipality_link(n))
                .collect(),
            tags: c.tags.iter().map(|t| self.tag_link(t)).collect(),
            contact: c.contact.clone(),
            sources: c.sources.iter().map(LinkView::from).collect(),
            publisher,
            edit_url: repository_file(RepositoryAction::Edit),
            history_url: repository_file(RepositoryAction::History),
            contributors: self.contributors(record),
            details: self.details_view(index),
            related: Vec::new(),
            key_facts: self.key_facts(record),
            contact_network: self.record_contact(record),
            documents: self.documents(record),
        }
    }

    fn documents(&self, record: &Record) -> Vec<DocumentView> {
        let folder = self.urls.page(&record.path());
        let comma = record.common.language != Lang::En;
        let files = self.loaded.media.get(&record.file).into_iter();
        files
            .flat_map(|f| f.values())
            .filter(|a| !a.format.is_image())
            .map(|a| DocumentView {
                name: a.name.clone(),
                url: crate::media::refer::url(a, &folder),
                kind: a.format.label(),
                size: crate::media::size_text(a.bytes.len(), comma),
            })
            .collect()
    }

    /// The view of what only the record's kind has, its Markdown fields already rendered.
    fn details_view(&self, index: usize) -> DetailsView {
        let record = &self.records[index];
        let lang = record.common.language;
        let field = |key: MarkdownField| self.html[index].fields.get(&key).cloned();
        match &record.details {
            Details::Practice(p) => DetailsView::Practice(PracticeView {
                problem: field(MarkdownField::Problem).unwrap_or_default(),
                maturity: p.maturity.label(lang).to_string(),
                results: field(MarkdownField::Results),
                lessons: field(MarkdownField::Lessons),
                reuse: field(MarkdownField::Reuse),
                attachments: p.attachments.iter().map(LinkView::from).collect(),
            }),
            Details::Barrier(b) => {
                let ministry = &self.loaded.reference.ministries[&b.ministry];
                DetailsView::Barrier(BarrierView {
                    legal_references: b
                        .legal_references
                        .iter()
                        .map(|r| LegalReferenceView {
                            law: r.law.clone(),
                            section: r.section.clone(),
                            url: r.url.clone(),
                        })
                        .collect(),
                    ministry: ministry.name(lang).to_string(),
                    ministry_short: ministry.short.clone(),
                    agency: b.agency.clone(),
                    consequence: field(MarkdownField::Consequence).unwrap_or_default(),
                    proposed_change: field(MarkdownField::ProposedChange).unwrap_or_default(),
                    reported_by: b.reported_by.clone(),
                    status: b.status.label(lang).to_string(),
                    status_class: slugify(b.status.value),
                    status_log: b
                        .status_log
                        .iter()
                        .map(|s| StatusChangeView {
                            date: DateView::new(s.date, lang),
                            status: s.status.label(lang).to_string(),
                            note: s.note.clone(),
                        })
                        .collect(),
                })
            }
            Details::Project(p) => DetailsView::Project(ProjectView {
                purpose: field(MarkdownField::Purpose).unwrap_or_default(),
                phase: p.phase.label(lang).to_string(),
                status: p.status.label(lang).to_string(),
                owner: p.owner.clone(),
                participants: p.participants.clone(),
                funding: p
                    .funding
                    .iter()
                    .map(|f| f.label(lang).to_string())
                    .collect(),
                start: p.start.map(|d| DateView::new(d, lang)),
                end: p.end.map(|d| DateView::new(d, lang)),
                deliverables: p.deliverables.clone(),
                results: field(MarkdownField::Results),
            }),
        }
    }
}
