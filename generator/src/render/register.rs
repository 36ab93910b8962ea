//! The barrier register (`/hindringer/`): the rows KS follows up, their order without
//! JavaScript, the filtered views that exist as static pages
//! (`/hindringer/<facet>/<slug>/`), and `hindringer/register.json`, the whole register for
//! `register.js`, which sorts and filters it in place.
//!
//! «Days in status» counts to the newest date in the content (a publication, update or status
//! change), never to the clock, so two builds of one commit are byte-identical.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::Site;
use super::plan::{Listing, PagePlan};
use super::views::{DateView, LinkView};
use crate::content::{Barrier, Details, Record, RecordKind};
use crate::files::names::is_slug;
use crate::norwegian::{compare, slugify};
use crate::output::SiteFiles;

mod columns;

/// The network value of a barrier that belongs to no network (KS's own, under `nasjonalt/`).
const NATIONAL: &str = "nasjonalt";

/// What a register can be filtered by; each has its folder under the kind's overview
/// (`/hindringer/departement/hod/`, `/prosjekter/fase/konsept/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    /// A barrier's or a project's status.
    Status,
    Ministry,
    Network,
    Law,
    Phase,
    Maturity,
    Solution,
}

impl Facet {
    /// The facets of a kind's register, in the order they are offered.
    pub fn of(kind: RecordKind) -> &'static [Facet] {
        match kind {
            RecordKind::Barrier => &[Facet::Status, Facet::Ministry, Facet::Network, Facet::Law],
            RecordKind::Project => &[Facet::Phase, Facet::Status, Facet::Network],
            RecordKind::Practice => &[Facet::Maturity, Facet::Network, Facet::Solution],
        }
    }

    /// The facet's folder, which is also its URL query parameter in `register.js`.
    pub fn folder(self) -> &'static str {
        match self {
            Facet::Status => "status",
            Facet::Ministry => "departement",
            Facet::Network => "nettverk",
            Facet::Law => "lov",
            Facet::Phase => "fase",
            Facet::Maturity => "modenhet",
            Facet::Solution => "losning",
        }
    }

    /// The interface string naming the facet.
    pub fn label_key(self) -> &'static str {
        match self {
            Facet::Status => "status",
            Facet::Ministry => "ministry",
            Facet::Network => "network",
            Facet::Law => "register_law",
            Facet::Phase => "phase",
            Facet::Maturity => "maturity",
            Facet::Solution => "register_solution",
        }
    }
}

/// One filtered view of a kind's register: the records with one value of one facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterFilter {
    pub kind: RecordKind,
    pub facet: Facet,
    pub slug: String,
    /// The value's name in the site's language.
    pub name: String,
}

impl RegisterFilter {
    /// The filtered view's first page.
    pub fn path(&self) -> String {
        filtered_path(self.kind, self.facet, &self.slug)
    }
}

/// The first page of a kind's register filtered by one value's slug (a page exists when some
/// published record has the value).
pub fn filtered_path(kind: RecordKind, facet: Facet, slug: &str) -> String {
    format!("{}/{}/{slug}/", kind.folder(), facet.folder())
}

fn barrier(record: &Record) -> Option<&Barrier> {
    match &record.details {
        Details::Barrier(b) => Some(b),
        _ => None,
    }
}

/// A record's values of `facet`, as (slug, name), each once.
fn values(site: &Site<'_>, record: &Record, facet: Facet) -> Vec<(String, String)> {
    let lang = site.lang;
    let term = |t: &crate::content::vocab::Term| vec![(slugify(t.value), t.label(lang).into())];
    let mut values: Vec<(String, String)> = match (facet, &record.details) {
        (Facet::Status, Details::Barrier(b)) => term(&b.status),
        (Facet::Status, Details::Project(p)) => term(&p.status),
        (Facet::Phase, Details::Project(p)) => term(&p.phase),
        (Facet::Maturity, Details::Practice(p)) => term(&p.maturity),
        (Facet::Ministry, Details::Barrier(b)) => {
            let ministry = &site.loaded.reference.ministries[&b.ministry];
            vec![(b.ministry.clone(), ministry.name(lang).to_string())]
        }
        (Facet::Law, Details::Barrier(b)) => b
            .legal_references
            .iter()
            .map(|l| (slugify(&law_in_bokmal(&l.law)), l.law.clone()))
            .collect(),
        (Facet::Network, _) if record.common.networks.is_empty() => {
            vec![(NATIONAL.to_string(), "KS".to_string())]
        }
        (Facet::Network, _) => record
            .common
            .networks
            .iter()
            .map(|id| (id.clone(), site.loaded.networks[id].name.clone()))
            .collect(),
        (Facet::Solution, _) => record
            .common
            .solutions
            .iter()
            .map(|id| (id.clone(), site.loaded.reference.solutions[id].name.clone()))
            .collect(),
        _ => Vec::new(),
    };
    let mut seen = std::collections::BTreeSet::new();
    // Each value is a folder: one a file system cannot hold (a Windows device name) gets no page.
    values.retain(|(slug, _)| is_slug(slug) && seen.insert(slug.clone()));
    values
}

/// A law's name in Bokmål, for its filter's slug, so one law is one filter whichever written
/// standard a record cites it in: Nynorsk's definite «-lova» is Bokmål's «-loven»
/// («Forvaltningslova», «Forvaltningsloven»), and words the search lexicon pairs are mapped.
fn law_in_bokmal(law: &str) -> String {
    let bokmal = super::tags::bokmal(law);
    match bokmal.strip_suffix("lova") {
        Some(stem) => format!("{stem}loven"),
        None => bokmal,
    }
}

/// The register's order without JavaScript: open barriers first, the one that has waited
/// longest in its status at the top (what KS follows up first), then by title.
pub fn order(site: &Site<'_>, mut positions: Vec<usize>) -> Vec<usize> {
    let key = |i: &usize| {
        let r = site.records[*i];
        let b = barrier(r).expect("the register lists barriers");
        (!b.is_open(), b.status_since(r.common.published))
    };
    positions.sort_by(|a, b| {
        key(a).cmp(&key(b)).then_with(|| {
            let (ra, rb) = (site.records[*a], site.records[*b]);
            compare(&ra.common.title, &rb.common.title).then_with(|| ra.id().cmp(&rb.id()))
        })
    });
    positions
}

/// Each facet value's records of `kind` (positions, in `positions`' order), by facet and slug.
pub fn filters(
    site: &Site<'_>,
    kind: RecordKind,
    positions: &[usize],
) -> BTreeMap<(Facet, String), FilterRows> {
    let mut filters: BTreeMap<(Facet, String), FilterRows> = BTreeMap::new();
    for &i in positions {
        let record = site.records[i];
        for facet in Facet::of(kind) {
            for (slug, name) in values(site, record, *facet) {
                let rows = filters.entry((*facet, slug)).or_insert_with(|| FilterRows {
                    name: name.clone(),
                    records: Vec::new(),
                });
                // A law cited in both written standards is named as Bokmål writes it.
                if *facet == Facet::Law && law_in_bokmal(&name) == name {
                    rows.name = name;
                }
                rows.records.push(i);
            }
        }
    }
    filters
}

pub struct FilterRows {
    pub name: String,
    pub records: Vec<usize>,
}

/// One barrier as the register shows it, in the page and in `register.json` (whose rows
/// carry their own id and filter slugs, `columns::data_row`).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub title: String,
    pub url: String,
    pub lang: crate::i18n::Lang,
    pub status: String,
    pub status_class: String,
    /// The status's place in the vocabulary, for sorting by status.
    pub status_rank: usize,
    pub ministry: String,
    pub ministry_short: String,
    pub laws: Vec<LinkView>,
    pub networks: Vec<String>,
    pub since: DateView,
    pub days: i64,
}

/// The register's rows of the records at `positions` in `site.records`, with days counted to
/// `today` (`Site::content_date`).
pub fn rows(site: &Site<'_>, positions: &[usize], today: NaiveDate) -> Vec<Row> {
    positions
        .iter()
        .map(|at| site.records[*at])
        .filter_map(|r| barrier(r).map(|b| row(site, r, b, today)))
        .collect()
}

fn row(site: &Site<'_>, r: &Record, b: &Barrier, today: NaiveDate) -> Row {
    let ministry = &site.loaded.reference.ministries[&b.ministry];
    let since = b.status_since(r.common.published);
    Row {
        title: r.common.title.clone(),
        url: site.urls.page(&r.path()),
        lang: r.common.language,
        status: b.status.label(site.lang).to_string(),
        status_class: slugify(b.status.value),
        status_rank: b.status.rank(&crate::content::vocab::BARRIER_STATUS),
        ministry: ministry.name(site.lang).to_string(),
        ministry_short: ministry.short.clone(),
        laws: b
            .legal_references
            .iter()
            .map(|l| LinkView {
                name: l.citation(),
                url: l.url.clone().unwrap_or_default(),
            })
            .collect(),
        networks: values(site, r, Facet::Network)
            .into_iter()
            .map(|v| v.1)
            .collect(),
        since: DateView::new(since, site.lang),
        days: (today - since).num_days().max(0),
    }
}

/// One facet's filter links, for the page without JavaScript.
#[derive(Debug, Serialize)]
pub struct FacetNav<'p> {
    pub key: &'static str,
    pub label: String,
    pub values: Vec<FilterLink<'p>>,
    /// The page is filtered by one of the values: the facet is shown open.
    pub open: bool,
}

#[derive(Debug, Serialize)]
pub struct FilterLink<'p> {
    pub slug: &'p str,
    pub name: &'p str,
    pub url: String,
    pub count: usize,
    pub current: bool,
}

/// The filter links of every facet, in name order, `current` marked.
pub fn nav<'p>(
    site: &Site<'_>,
    plan: &'p PagePlan,
    kind: RecordKind,
    current: Option<&RegisterFilter>,
) -> Vec<FacetNav<'p>> {
    Facet::of(kind)
        .iter()
        .map(|facet| {
            let values: Vec<FilterLink> = plan
                .filter_lists(kind, *facet)
                .iter()
                .map(|at| {
                    let list = &plan.lists[*at];
                    let Listing::Register(Some(f)) = &list.of else {
                        unreachable!("the plan's filter lists are filtered views")
                    };
                    FilterLink {
                        slug: &f.slug,
                        name: &f.name,
                        url: site.urls.page(&list.base),
                        count: list.records.len(),
                        current: current == Some(f),
                    }
                })
                .collect();
            FacetNav {
                key: facet.folder(),
                label: site.strings.get(site.lang, facet.label_key()).to_string(),
                open: values.iter().any(|v| v.current),
                values,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct RegisterData<'a> {
    /// The date «days» counts to.
    today: DateView,
    columns: Vec<columns::Column>,
    facets: Vec<FacetData>,
    rows: &'a [columns::DataRow],
}

#[derive(Serialize)]
struct FacetData {
    key: &'static str,
    label: String,
    values: Vec<ValueData>,
}

#[derive(Serialize)]
struct ValueData {
    slug: String,
    name: String,
}

/// Where a kind's whole register is published for `register.js`.
pub fn data_path(kind: RecordKind) -> String {
    format!("{}/register.json", kind.folder())
}

/// A kind's records in its register's order without JavaScript: barriers by `order`, projects
/// by phase (newest first within each), practices newest first.
fn overview_order(site: &Site<'_>, kind: RecordKind) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..site.records.len())
        .filter(|i| site.records[*i].kind == kind)
        .collect();
    match kind {
        RecordKind::Barrier => positions = order(site, positions),
        RecordKind::Project => positions.sort_by_key(|i| match &site.records[*i].details {
            Details::Project(p) => p.phase.rank(&crate::content::vocab::PHASE),
            _ => usize::MAX,
        }),
        RecordKind::Practice => {}
    }
    positions
}

/// Each facet of `kind` with its values in name order, for the script's selects.
fn facet_data(
    site: &Site<'_>,
    kind: RecordKind,
    filters: &BTreeMap<(Facet, String), FilterRows>,
) -> Vec<FacetData> {
    Facet::of(kind)
        .iter()
        .map(|facet| {
            let mut values: Vec<ValueData> = filters
                .iter()
                .filter(|((f, _), _)| f == facet)
                .map(|((_, slug), v)| ValueData {
                    slug: slug.clone(),
                    name: v.name.clone(),
                })
                .collect();
            values.sort_by(|a, b| compare(&a.name, &b.name));
            FacetData {
                key: facet.folder(),
                label: site.strings.get(site.lang, facet.label_key()).to_string(),
                values,
            }
        })
        .collect()
}

/// Writes each kind's `register.json` (`data_path`): its columns, every record as a row in
/// the order without JavaScript, and each facet's values in name order.
pub fn write(site: &Site<'_>, files: &mut SiteFiles) -> Result<()> {
    let today = site.content_date;
    for kind in RecordKind::ALL {
        let positions = overview_order(site, kind);
        let records: Vec<&Record> = positions.iter().map(|i| site.records[*i]).collect();
        let barrier_rows = rows(site, &positions, today);
        let mut barrier_rows = barrier_rows.iter();
        let data_rows: Vec<columns::DataRow> = records
            .iter()
            .map(|r| {
                let row = barrier(r).and_then(|_| barrier_rows.next());
                columns::data_row(site, r, row)
            })
            .collect();
        let filters = filters(site, kind, &positions);
        let data = RegisterData {
            today: DateView::new(today, site.lang),
            columns: columns::columns(site, kind),
            facets: facet_data(site, kind, &filters),
            rows: &data_rows,
        };
        files.insert(data_path(kind), serde_json::to_vec(&data)?);
    }
    Ok(())
}

/// What a project's card says besides its phase, so a stopped project never looks active.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectFacts {
    /// The status, unless the project is simply ongoing («pågår») or its badge says it.
    pub status: Option<String>,
    pub status_class: String,
    pub owner: String,
    pub start: Option<DateView>,
    pub end: Option<DateView>,
}

/// A stopped or paused project shows its status as its badge (on its card and at the top of
/// its page) instead of its phase, so nobody takes it for active.
pub fn status_is_badge(p: &crate::content::Project) -> bool {
    matches!(p.status.value, "stanset" | "på vent")
}

pub fn project_facts(record: &Record, lang: crate::i18n::Lang) -> Option<ProjectFacts> {
    let Details::Project(p) = &record.details else {
        return None;
    };
    Some(ProjectFacts {
        status: (p.status.value != "pågår" && !status_is_badge(p))
            .then(|| p.status.label(lang).to_string()),
        status_class: slugify(p.status.value),
        owner: p.owner.clone(),
        start: p.start.map(|d| DateView::new(d, lang)),
        end: p.end.map(|d| DateView::new(d, lang)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_law_cited_in_nynorsk_and_bokmal_is_one_filter() {
        assert_eq!(law_in_bokmal("Forvaltningslova"), "Forvaltningsloven");
        assert_eq!(law_in_bokmal("Forvaltningsloven"), "Forvaltningsloven");
        assert_eq!(law_in_bokmal("Arkivlova"), "Arkivloven");
        assert_eq!(
            law_in_bokmal("eForvaltningsforskriften"),
            "eForvaltningsforskriften"
        );
    }

    #[test]
    fn facet_folders_are_distinct_slugs_apart_from_the_pagers_folder() {
        for kind in RecordKind::ALL {
            let folders: std::collections::BTreeSet<_> =
                Facet::of(kind).iter().map(|f| f.folder()).collect();
            assert_eq!(folders.len(), Facet::of(kind).len());
            assert!(folders.iter().all(|f| crate::files::names::is_slug(f)));
            assert!(!folders.contains("side"), "side/<n>/ is a page of the list");
        }
    }
}
