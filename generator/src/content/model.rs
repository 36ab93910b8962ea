//! The typed records contributors write. Every value here has already been checked against the
//! reference data, so later phases never need to validate again.

use chrono::NaiveDate;
use std::path::PathBuf;

use super::vocab::Term;
use crate::diagnostics::Pos;
use crate::i18n::Lang;

/// The three kinds of record a network shares. Networks themselves are `Network`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordKind {
    Practice,
    Barrier,
    Project,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [
        RecordKind::Practice,
        RecordKind::Barrier,
        RecordKind::Project,
    ];

    /// The folder a record of this kind lives in, which is also its URL prefix.
    pub fn folder(self) -> &'static str {
        match self {
            RecordKind::Practice => "erfaringer",
            RecordKind::Barrier => "hindringer",
            RecordKind::Project => "prosjekter",
        }
    }

    /// The site path of the page of this kind's record `slug`.
    pub fn record_path(self, slug: &str) -> String {
        format!("{}/{slug}/", self.folder())
    }

    /// The site path of this kind's Atom feed.
    pub fn feed_path(self) -> String {
        format!("{}/atom.xml", self.folder())
    }

    pub fn from_folder(folder: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    /// The stable machine name used in open data and templates.
    pub fn id(self) -> &'static str {
        match self {
            RecordKind::Practice => "practice",
            RecordKind::Barrier => "barrier",
            RecordKind::Project => "project",
        }
    }

    /// The key of the interface string naming the kind's overview ("Erfaringer").
    pub fn plural(self) -> &'static str {
        match self {
            RecordKind::Practice => "practices",
            RecordKind::Barrier => "barriers",
            RecordKind::Project => "projects",
        }
    }

    /// The word `deling new` takes on the command line.
    pub fn command_word(self) -> &'static str {
        match self {
            RecordKind::Practice => "praksis",
            RecordKind::Barrier => "hindring",
            RecordKind::Project => "prosjekt",
        }
    }
}

/// Who a record belongs to: a regional network (its folder) or the national level (KS).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    Network(String),
    National,
}

/// Markdown text and where it starts in its file, so problems inside it get the right line.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub text: String,
    pub origin: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Common {
    pub title: String,
    pub summary: String,
    pub language: Lang,
    pub published: NaiveDate,
    pub updated: Option<NaiveDate>,
    pub draft: bool,
    pub service_areas: Vec<String>,
    pub solutions: Vec<String>,
    /// Every network the record belongs to, the owning folder's first.
    pub networks: Vec<String>,
    pub municipalities: Vec<String>,
    pub tags: Vec<String>,
    pub contact: Option<String>,
    pub sources: Vec<Link>,
}

impl Common {
    /// The date shown as "last changed" and used in feeds.
    pub fn last_changed(&self) -> NaiveDate {
        self.updated.unwrap_or(self.published)
    }
}

#[derive(Debug, Clone)]
pub struct Record {
    pub kind: RecordKind,
    pub slug: String,
    /// Path relative to the site root, e.g. `content/nettverk/digi-agder/erfaringer/x.md`.
    pub file: PathBuf,
    pub owner: Owner,
    pub common: Common,
    pub body: Markdown,
    pub details: Details,
    /// From Git, when the history is complete (see `history.rs`).
    pub history: Option<FileHistory>,
    /// What the last change did to the record's status, phase or maturity (from Git).
    pub changes: Vec<Change>,
}

/// A controlled value the last change moved, e.g. a barrier's status from «meldt» to «løst».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `status`, `phase` or `maturity`: also the interface string that names it.
    pub field: &'static str,
    pub from: Option<Term>,
    pub to: Term,
}

/// What Git remembers about a record's file (filled in by `history.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Everyone who changed the file, in the order they first did. Private: pages show them
    /// only through `render::contributors`, which names a person only with their consent.
    pub authors: Vec<Author>,
    /// The file's text before its last change (`None` when the last change created it). Kept
    /// for the most recently changed files only, for "Nytt og endret".
    pub previous: Option<String>,
}

/// A Git author: the name and e-mail address a commit was made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub email: String,
}

impl Record {
    /// `erfaringer/slug`: unique across the site, used as the record's id in open data.
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind.folder(), self.slug)
    }

    /// The site path of the record's page, relative to the site root.
    pub fn path(&self) -> String {
        self.kind.record_path(&self.slug)
    }
}

#[derive(Debug, Clone)]
pub enum Details {
    Practice(Practice),
    Barrier(Barrier),
    Project(Project),
}

#[derive(Debug, Clone)]
pub struct Practice {
    pub problem: Markdown,
    pub maturity: Term,
    pub results: Option<Markdown>,
    pub lessons: Option<Markdown>,
    pub reuse: Option<Markdown>,
    pub attachments: Vec<Link>,
}

#[derive(Debug, Clone)]
pub struct LegalReference {
    pub law: String,
    pub section: Option<String>,
    pub url: Option<String>,
}

impl LegalReference {
    /// The law and its section as people cite them: «Arkivlova § 9», or the law alone.
    pub fn citation(&self) -> String {
        match &self.section {
            Some(section) => format!("{} {section}", self.law),
            None => self.law.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct StatusChange {
    pub date: NaiveDate,
    pub status: Term,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Barrier {
    pub legal_references: Vec<LegalReference>,
    pub ministry: String,
    pub agency: Option<String>,
    pub consequence: Markdown,
    pub proposed_change: Markdown,
    pub reported_by: String,
    pub status: Term,
    pub status_log: Vec<StatusChange>,
}

impl Barrier {
    /// Since when the barrier has had its current status: the first entry of the last unbroken
    /// run of log entries with that status, else (no entry says so) the day it was published.
    /// The record page, the register and the statistics all count days in status from this.
    pub fn status_since(&self, published: NaiveDate) -> NaiveDate {
        let mut log: Vec<_> = self.status_log.iter().collect();
        log.sort_by_key(|s| s.date);
        let mut since = None;
        for entry in log {
            if entry.status == self.status {
                since.get_or_insert(entry.date);
            } else {
                since = None;
            }
        }
        since.unwrap_or(published)
    }

    /// Whether the barrier still waits for an answer: resolved and rejected ones do not.
    pub fn is_open(&self) -> bool {
        !matches!(self.status.value, "løst" | "avvist")
    }
}

#[derive(Debug, Clone)]
pub struct Project {
    pub purpose: Markdown,
    pub phase: Term,
    pub status: Term,
    pub owner: String,
    pub participants: Vec<String>,
    pub funding: Vec<Term>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub deliverables: Vec<String>,
    pub results: Option<Markdown>,
}

#[derive(Debug, Clone)]
pub struct Network {
    pub id: String,
    pub file: PathBuf,
    pub name: String,
    pub summary: String,
    pub aliases: Vec<String>,
    pub counties: Vec<String>,
    pub members: Vec<String>,
    pub founded: Option<i64>,
    pub website: Option<String>,
    pub reviewers: Vec<String>,
    pub language: Lang,
    pub contact: Option<String>,
    /// Where readers write to the network: an e-mail address (checked) and a contact form.
    pub contact_email: Option<String>,
    pub contact_url: Option<String>,
    pub body: Markdown,
}

impl Network {
    pub fn path(&self) -> String {
        format!("nettverk/{}/", self.id)
    }
}

/// A page about the site itself (`content/om/<slug>.md`): the accessibility statement, the
/// privacy page. Every page of the site links to them in its footer.
#[derive(Debug, Clone)]
pub struct AboutPage {
    pub slug: String,
    pub file: PathBuf,
    pub title: String,
    pub summary: String,
    /// When the text was last revised; an accessibility statement must say so.
    pub updated: Option<NaiveDate>,
    pub language: Lang,
    pub body: Markdown,
}

impl AboutPage {
    pub fn path(&self) -> String {
        AboutPage::path_of(&self.slug)
    }

    pub fn path_of(slug: &str) -> String {
        format!("om/{slug}/")
    }
}
