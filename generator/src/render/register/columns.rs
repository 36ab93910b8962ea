//! The columns of each kind's register as `register.js` shows them: `register.json` describes
//! its columns (`Column`) and gives every row one `Cell` per column, so one script sorts and
//! renders the barrier, project and practice registers alike.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Facet, Row, Site, values};
use crate::content::vocab::{MATURITY, PHASE, PROJECT_STATUS};
use crate::content::{Details, Practice, Project, Record, RecordKind};
use crate::norwegian::slugify;
use crate::render::views::{DateView, LinkView};

/// One column of a register: its key (the `sorter` in the URL query) and header.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub key: &'static str,
    pub label: String,
    /// The header is a sort button.
    pub sortable: bool,
}

/// How a cell is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CellKind {
    /// The record's title, linked (`extra` is the address).
    Title,
    Text,
    /// A badge (`extra` holds its classes).
    Badge,
    /// An abbreviation (`extra` is the full name).
    Abbr,
    Links,
    /// A date (`extra` is its ISO form).
    Time,
    Number,
}

/// What sorting by a column compares: a number, or text; a missing value sorts last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum SortValue {
    Number(i64),
    Text(String),
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub kind: CellKind,
    pub text: String,
    pub sort: SortValue,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub extra: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkView>,
    /// Under a practice's or project's title: its summary, which their cards show too.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
}

impl Cell {
    fn new(kind: CellKind, text: impl Into<String>, sort: SortValue) -> Cell {
        Cell {
            kind,
            text: text.into(),
            sort,
            extra: String::new(),
            links: Vec::new(),
            summary: String::new(),
        }
    }

    fn with(mut self, extra: impl Into<String>) -> Cell {
        self.extra = extra.into();
        self
    }

    fn text(text: String) -> Cell {
        let sort = SortValue::Text(text.clone());
        Cell::new(CellKind::Text, text, sort)
    }

    fn number(n: usize) -> Cell {
        Cell::new(CellKind::Number, n.to_string(), SortValue::Number(n as i64))
    }

    fn date(date: Option<&DateView>) -> Cell {
        match date {
            Some(d) => {
                Cell::new(CellKind::Time, &d.text, SortValue::Text(d.iso.clone())).with(&d.iso)
            }
            None => Cell::new(CellKind::Text, "", SortValue::Missing),
        }
    }

    fn badge(text: &str, rank: usize, class: String) -> Cell {
        Cell::new(CellKind::Badge, text, SortValue::Number(rank as i64)).with(class)
    }
}

/// The columns of `kind`'s register, in the order shown: (key, interface string, sortable).
fn spec(kind: RecordKind) -> &'static [(&'static str, &'static str, bool)] {
    match kind {
        RecordKind::Barrier => &[
            ("title", "title_column", true),
            ("status", "status", true),
            ("ministry", "ministry", true),
            ("law", "register_law", false),
            ("network", "network", true),
            ("since", "register_since", true),
            ("days", "register_days", true),
        ],
        RecordKind::Project => &[
            ("title", "title_column", true),
            ("phase", "phase", true),
            ("status", "status", true),
            ("owner", "owner", true),
            ("network", "network", true),
            ("start", "register_start", true),
            ("end", "register_end", true),
        ],
        RecordKind::Practice => &[
            ("title", "title_column", true),
            ("maturity", "maturity", true),
            ("network", "network", true),
            ("solutions", "solutions", true),
            ("municipalities", "municipalities", true),
            ("published", "published", true),
        ],
    }
}

pub fn columns(site: &Site<'_>, kind: RecordKind) -> Vec<Column> {
    spec(kind)
        .iter()
        .map(|(key, label, sortable)| Column {
            key,
            label: site.strings.get(site.lang, label).to_string(),
            sortable: *sortable,
        })
        .collect()
}

/// One record as the register's script shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DataRow {
    pub id: String,
    pub lang: crate::i18n::Lang,
    /// The row's slugs per facet folder, for filtering in the browser.
    pub filters: BTreeMap<&'static str, Vec<String>>,
    /// One cell per column key.
    pub cells: BTreeMap<&'static str, Cell>,
}

pub fn data_row(site: &Site<'_>, record: &Record, barrier: Option<&Row>) -> DataRow {
    let filters = Facet::of(record.kind)
        .iter()
        .map(|f| {
            let slugs = values(site, record, *f).into_iter().map(|v| v.0).collect();
            (f.folder(), slugs)
        })
        .collect();
    let title = &record.common.title;
    let mut title_cell = Cell::new(CellKind::Title, title, SortValue::Text(title.clone()))
        .with(site.urls.page(&record.path()));
    // The barrier register is a follow-up table; practices and projects are read to find one.
    if record.kind != RecordKind::Barrier {
        title_cell.summary = record.common.summary.clone();
    }
    let mut cells = BTreeMap::from([("title", title_cell)]);
    let networks: Vec<String> = values(site, record, Facet::Network)
        .into_iter()
        .map(|v| v.1)
        .collect();
    cells.insert("network", Cell::text(networks.join(", ")));
    match (&record.details, barrier) {
        (Details::Barrier(_), Some(row)) => barrier_cells(row, &mut cells),
        (Details::Project(p), _) => project_cells(site, p, &mut cells),
        (Details::Practice(p), _) => practice_cells(site, record, p, &mut cells),
        _ => {}
    }
    DataRow {
        id: record.id(),
        lang: record.common.language,
        filters,
        cells,
    }
}

fn barrier_cells(row: &Row, cells: &mut BTreeMap<&'static str, Cell>) {
    let status = format!("status--{}", row.status_class);
    cells.insert("status", Cell::badge(&row.status, row.status_rank, status));
    let ministry = SortValue::Text(row.ministry.clone());
    cells.insert(
        "ministry",
        Cell::new(CellKind::Abbr, &row.ministry_short, ministry).with(&row.ministry),
    );
    let mut laws = Cell::new(CellKind::Links, "", SortValue::Missing);
    laws.links = row.laws.clone();
    cells.insert("law", laws);
    cells.insert("since", Cell::date(Some(&row.since)));
    let days = Cell::new(
        CellKind::Number,
        row.days.to_string(),
        SortValue::Number(row.days),
    );
    cells.insert("days", days);
}

fn project_cells(site: &Site<'_>, p: &Project, cells: &mut BTreeMap<&'static str, Cell>) {
    let lang = site.lang;
    let phase = Cell::badge(p.phase.label(lang), p.phase.rank(&PHASE), String::new());
    cells.insert("phase", phase);
    let class = format!("project-status--{}", slugify(p.status.value));
    let status = Cell::badge(p.status.label(lang), p.status.rank(&PROJECT_STATUS), class);
    cells.insert("status", status);
    cells.insert("owner", Cell::text(p.owner.clone()));
    let start = p.start.map(|d| DateView::new(d, lang));
    cells.insert("start", Cell::date(start.as_ref()));
    let end = p.end.map(|d| DateView::new(d, lang));
    cells.insert("end", Cell::date(end.as_ref()));
}

fn practice_cells(
    site: &Site<'_>,
    record: &Record,
    p: &Practice,
    cells: &mut BTreeMap<&'static str, Cell>,
) {
    let lang = site.lang;
    let maturity = Cell::badge(
        p.maturity.label(lang),
        p.maturity.rank(&MATURITY),
        String::new(),
    );
    cells.insert("maturity", maturity);
    let solutions = values(site, record, Facet::Solution);
    let names: Vec<String> = solutions.into_iter().map(|v| v.1).collect();
    let count = SortValue::Number(names.len() as i64);
    cells.insert(
        "solutions",
        Cell::new(CellKind::Text, names.join(", "), count),
    );
    let municipalities = record.common.municipalities.len();
    cells.insert("municipalities", Cell::number(municipalities));
    let published = DateView::new(record.common.published, lang);
    cells.insert("published", Cell::date(Some(&published)));
}
