//! The page plan: which pages and feeds the site has, and which records each shows, computed
//! once from a resolved site. A full build renders every planned page; a refresh (`deling
//! serve`, after one record changed in a way that moves it in no list) renders the planned
//! pages that show that record. [`PagePlan::shows`] is the one place that choice is made.

use std::collections::BTreeMap;

use super::Site;
use super::paginate::page_path;
use super::register::{self, Facet, RegisterFilter};
use super::tags;
pub use super::urls::Taxonomy;
use crate::content::{Details, Record, RecordKind};
use crate::norwegian::compare;

/// How many of the newest records the front page shows.
pub const LATEST: usize = 6;

/// How many times `paginate_by` records a page of a list of links holds (a term's, a network's
/// or a register's filtered view, `macros.html`'s `entries`): a record is on many of them, so
/// they link rather than repeat its summary, and hold more records per page, which keeps what
/// every page repeats (head, header, footer) from outweighing the list.
pub const LINKS_PER_CARD_PAGE: usize = 5;

pub struct PagePlan {
    pub lists: Vec<List>,
    pub pages: Vec<Planned>,
    /// Records per page of a list of cards (`paginate_by`).
    pub per_page: usize,
    /// Records per feed (`feed_limit`).
    pub feed_limit: usize,
    /// Each kind's filtered views (lists of `Listing::Register(Some(_))`) by facet, in the order
    /// of their values' names: what every page of the kind's register links to.
    filter_lists: Vec<FacetLists>,
}

/// The filtered views of one facet of a kind's register.
struct FacetLists {
    kind: RecordKind,
    facet: Facet,
    /// Positions in `PagePlan::lists`, in name order.
    lists: Vec<usize>,
}

/// Records shown together, in the order shown, as positions in the site's newest-first records.
pub struct List {
    pub of: Listing,
    /// The site path of the list's first page (and of the page a feed of it follows).
    pub base: String,
    pub records: Vec<usize>,
    /// Records per page.
    pub per_page: usize,
}

/// What a list is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    All,
    Kind(RecordKind),
    /// The projects' overview: grouped by phase, newest first within each.
    ProjectsByPhase,
    /// The barrier register (`None`) or a kind's register filtered by one value, in the
    /// order of the kind's overview (`register.rs`).
    Register(Option<RegisterFilter>),
    Network(String),
    Term(Term),
    /// "Nytt og endret": the records changed most recently.
    Changed,
}

impl Listing {
    /// Whether the list links to its records (`macros.html`'s `entries`, `LINKS_PER_CARD_PAGE`
    /// to a page) rather than showing their cards: the lists a record is on many times over.
    pub fn links(&self) -> bool {
        matches!(
            self,
            Listing::Term(_) | Listing::Network(_) | Listing::Register(Some(_))
        )
    }
}

/// One value of a taxonomy, with the page that lists its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub taxonomy: Taxonomy,
    /// The value as records write it (for tags that share a slug, the Bokmål spelling).
    pub key: String,
    pub slug: String,
    /// Every spelling records use, for a tag written in both Bokmål and Nynorsk (`tags.rs`).
    pub spellings: Vec<String>,
}

/// One output file of the plan.
pub struct Planned {
    /// The page's site path (`erfaringer/side/2/`, `404.html`, `atom.xml`).
    pub path: String,
    pub page: Page,
}

impl Planned {
    /// The file the page is written to.
    pub fn file(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// A record's page (position in the newest-first records); it shows its related records.
    Record(usize),
    /// A record's own Atom feed: its publication and changes (a barrier's status log).
    RecordFeed(usize),
    /// Page `number` (from 1) of a list.
    Listed {
        list: usize,
        number: usize,
    },
    /// The Atom feed of a list's first `feed_limit` records.
    Feed {
        list: usize,
    },
    Front,
    /// "Nytt og endret".
    Changes {
        list: usize,
    },
    /// The list of networks (with counts, which a refresh does not change).
    Networks,
    /// The list of a taxonomy's terms (with counts).
    Terms(Taxonomy),
    /// An about page, by position in `LoadedSite::about`.
    About(usize),
    /// `/statistikk/`: numbers counted from every record (see `render::statistics`).
    Statistics,
    /// A page that shows no content: search, open data, 404.
    Fixed {
        template: &'static str,
        title_key: &'static str,
    },
}

/// Which of a record's values put it on a term's page.
trait TermsOf {
    fn keys(self, record: &Record) -> &[String];
}

impl TermsOf for Taxonomy {
    fn keys(self, record: &Record) -> &[String] {
        let c = &record.common;
        match self {
            Taxonomy::ServiceArea => &c.service_areas,
            Taxonomy::Solution => &c.solutions,
            Taxonomy::Municipality => &c.municipalities,
            Taxonomy::Tag => &c.tags,
        }
    }
}

impl PagePlan {
    /// Plans every page and feed of `site`.
    pub fn of(site: &Site<'_>) -> PagePlan {
        let config = &site.loaded.config;
        let mut plan = PagePlan {
            lists: Vec::new(),
            pages: Vec::new(),
            per_page: config.paginate_by,
            feed_limit: config.feed_limit,
            filter_lists: Vec::new(),
        };
        for (i, record) in site.records.iter().enumerate() {
            plan.add(record.path(), Page::Record(i));
            plan.add(super::record_feed::path(record), Page::RecordFeed(i));
        }
        let all = plan.list(Listing::All, "", (0..site.records.len()).collect());
        plan.add("atom.xml".into(), Page::Feed { list: all });
        plan.add(String::new(), Page::Front);
        plan.kinds(site);
        plan.networks(site);
        for taxonomy in Taxonomy::ALL {
            plan.terms(site, taxonomy);
        }
        let changed = plan.list(Listing::Changed, "nytt/", recently_changed(site));
        plan.add("nytt/".into(), Page::Changes { list: changed });
        plan.add("nytt/atom.xml".into(), Page::Feed { list: changed });
        for i in 0..site.loaded.about.len() {
            plan.add(site.loaded.about[i].path(), Page::About(i));
        }
        plan.add(super::statistics::PATH.into(), Page::Statistics);
        for (path, template, title_key) in [
            ("sok/", "search.html", "search_title"),
            ("data/", "data.html", "data_title"),
            ("404.html", "404.html", "not_found_title"),
        ] {
            plan.add(
                path.into(),
                Page::Fixed {
                    template,
                    title_key,
                },
            );
        }
        plan
    }

    /// Whether `page` shows the record at `at` (in the newest-first records): listed, in a
    /// feed, or as a related record on another record's page.
    pub fn shows(&self, page: &Page, at: usize, related: &[Vec<usize>]) -> bool {
        match *page {
            Page::Record(i) => i == at || related.get(i).is_some_and(|r| r.contains(&at)),
            Page::RecordFeed(i) => i == at,
            Page::Listed { list, number } => self.chunk(list, number).contains(&at),
            Page::Feed { list } => self.feed_records(list).contains(&at),
            Page::Changes { list } => self.lists[list].records.contains(&at),
            Page::Front => at < LATEST,
            // Its numbers and lists of waiting barriers read every record.
            Page::Statistics => true,
            Page::Networks | Page::Terms(_) | Page::About(_) | Page::Fixed { .. } => false,
        }
    }

    /// The records on page `number` (from 1) of a list.
    pub fn chunk(&self, list: usize, number: usize) -> &[usize] {
        let List {
            records, per_page, ..
        } = &self.lists[list];
        let start = ((number - 1) * per_page).min(records.len());
        &records[start..(start + per_page).min(records.len())]
    }

    /// How many pages a list has: one even when it is empty.
    pub fn page_count(&self, list: usize) -> usize {
        let list = &self.lists[list];
        list.records.len().div_ceil(list.per_page).max(1)
    }

    pub fn feed_records(&self, list: usize) -> &[usize] {
        let records = &self.lists[list].records;
        &records[..records.len().min(self.feed_limit)]
    }

    /// The filtered views of `kind`'s register by `facet`, as positions in `lists`, in the order
    /// of their values' names.
    pub fn filter_lists(&self, kind: RecordKind, facet: Facet) -> &[usize] {
        self.filter_lists
            .iter()
            .find(|f| f.kind == kind && f.facet == facet)
            .map_or(&[], |f| &f.lists)
    }

    /// The lists of one kind, with their positions.
    pub fn lists_of(&self, matches: impl Fn(&Listing) -> bool) -> impl Iterator<Item = &List> {
        self.lists.iter().filter(move |l| matches(&l.of))
    }

    fn add(&mut self, path: String, page: Page) {
        self.pages.push(Planned { path, page });
    }

    fn list(&mut self, of: Listing, base: &str, records: Vec<usize>) -> usize {
        let per_page = if of.links() {
            self.per_page * LINKS_PER_CARD_PAGE
        } else {
            self.per_page
        };
        self.lists.push(List {
            of,
            base: base.to_string(),
            records,
            per_page,
        });
        self.lists.len() - 1
    }

    /// A list's pages, page 1 at its base path and page n at `…/side/n/`.
    fn paginated(&mut self, of: Listing, base: &str, records: Vec<usize>) -> usize {
        let list = self.list(of, base, records);
        for number in 1..=self.page_count(list) {
            self.add(page_path(base, number), Page::Listed { list, number });
        }
        list
    }

    /// The overview of each kind and its feed. Projects' overview groups them by phase.
    fn kinds(&mut self, site: &Site<'_>) {
        for kind in RecordKind::ALL {
            let base = format!("{}/", kind.folder());
            let records = positions(site, |r| r.kind == kind);
            let list = if kind == RecordKind::Project {
                let phase_rank = |i: &usize| match &site.records[*i].details {
                    Details::Project(p) => p.phase.rank(&crate::content::vocab::PHASE),
                    _ => usize::MAX,
                };
                // Stable, so newest-first order stays inside each phase.
                let mut by_phase = records.clone();
                by_phase.sort_by_key(phase_rank);
                self.filtered(site, kind, &by_phase);
                self.paginated(Listing::ProjectsByPhase, &base, by_phase);
                self.list(Listing::Kind(kind), &base, records)
            } else if kind == RecordKind::Barrier {
                let ordered = register::order(site, records.clone());
                self.filtered(site, kind, &ordered);
                self.paginated(Listing::Register(None), &base, ordered);
                self.list(Listing::Kind(kind), &base, records)
            } else {
                self.filtered(site, kind, &records);
                self.paginated(Listing::Kind(kind), &base, records)
            };
            self.add(kind.feed_path(), Page::Feed { list });
        }
    }

    /// The filtered views of a kind's register (only values some record has), in the order of
    /// `records`.
    fn filtered(&mut self, site: &Site<'_>, kind: RecordKind, records: &[usize]) {
        let mut views: Vec<(Facet, String, usize)> = Vec::new();
        for ((facet, slug), rows) in register::filters(site, kind, records) {
            let filter = RegisterFilter {
                kind,
                facet,
                slug,
                name: rows.name,
            };
            let path = filter.path();
            let name = filter.name.clone();
            let list = self.paginated(Listing::Register(Some(filter)), &path, rows.records);
            views.push((facet, name, list));
        }
        // Stable: values of one name keep their slugs' order.
        views.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| compare(&a.1, &b.1)));
        for (facet, _, list) in views {
            match self.filter_lists.last_mut() {
                Some(f) if f.kind == kind && f.facet == facet => f.lists.push(list),
                _ => self.filter_lists.push(FacetLists {
                    kind,
                    facet,
                    lists: vec![list],
                }),
            }
        }
    }

    fn networks(&mut self, site: &Site<'_>) {
        for (id, network) in &site.loaded.networks {
            let records = positions(site, |r| r.common.networks.contains(id));
            let base = network.path();
            let list = self.paginated(Listing::Network(id.clone()), &base, records);
            self.add(format!("{base}atom.xml"), Page::Feed { list });
        }
        self.add("nettverk/".into(), Page::Networks);
    }

    /// Each term's pages, in slug order. Service areas and solutions get a page even when no
    /// record uses them yet, so links from reference lists never break.
    fn terms(&mut self, site: &Site<'_>, taxonomy: Taxonomy) {
        let reference = &site.loaded.reference;
        let mut terms: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        let mut spellings: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (i, record) in site.records.iter().enumerate() {
            for key in taxonomy.keys(record) {
                let slug = match taxonomy {
                    Taxonomy::Municipality => reference.municipalities[key].slug(),
                    Taxonomy::Tag => tags::slug(key),
                    _ => key.clone(),
                };
                let seen = spellings.entry(slug.clone()).or_default();
                if !seen.contains(key) {
                    seen.push(key.clone());
                }
                let records = &mut terms
                    .entry(slug)
                    .or_insert_with(|| (key.clone(), Vec::new()))
                    .1;
                // A record with both spellings of a tag is listed once.
                if records.last() != Some(&i) {
                    records.push(i);
                }
            }
        }
        let unused: Vec<&String> = match taxonomy {
            Taxonomy::ServiceArea => reference.service_areas.keys().collect(),
            Taxonomy::Solution => reference.solutions.keys().collect(),
            _ => Vec::new(),
        };
        for key in unused {
            terms
                .entry(key.clone())
                .or_insert_with(|| (key.clone(), Vec::new()));
        }
        for (slug, (key, records)) in terms {
            let base = taxonomy.term_path(&slug);
            let spellings = spellings.remove(&slug).unwrap_or_default();
            let key = match taxonomy {
                Taxonomy::Tag => tags::name(&spellings),
                _ => key,
            };
            let term = Term {
                taxonomy,
                key,
                slug,
                spellings,
            };
            self.paginated(Listing::Term(term), &base, records);
        }
        self.add(format!("{}/", taxonomy.folder()), Page::Terms(taxonomy));
    }
}

/// Positions of the records `keep` keeps, newest first.
fn positions(site: &Site<'_>, keep: impl Fn(&Record) -> bool) -> Vec<usize> {
    (0..site.records.len())
        .filter(|i| keep(site.records[*i]))
        .collect()
}

/// The records changed most recently (by `updated`, from front matter or Git), for "Nytt og
/// endret", at most `feed_limit` of them.
fn recently_changed(site: &Site<'_>) -> Vec<usize> {
    let mut changed: Vec<usize> = (0..site.records.len()).collect();
    // Stable, so records changed the same day stay newest first.
    changed.sort_by_key(|i| std::cmp::Reverse(site.records[*i].common.last_changed()));
    changed.truncate(site.loaded.config.feed_limit);
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(records: usize) -> PagePlan {
        PagePlan {
            lists: vec![List {
                of: Listing::All,
                base: "emneord/a/".into(),
                records: (0..records).collect(),
                per_page: 20,
            }],
            pages: Vec::new(),
            per_page: 20,
            feed_limit: 10,
            filter_lists: Vec::new(),
        }
    }

    #[test]
    fn lists_split_into_pages_of_per_page_records() {
        let plan = plan_of(45);
        assert_eq!(plan.page_count(0), 3);
        assert_eq!(plan.chunk(0, 2), (20..40).collect::<Vec<_>>());
        assert_eq!(plan.chunk(0, 3), (40..45).collect::<Vec<_>>());
    }

    #[test]
    fn an_empty_list_still_has_one_page() {
        let plan = plan_of(0);
        assert_eq!(plan.page_count(0), 1);
        assert!(plan.chunk(0, 1).is_empty());
    }

    #[test]
    fn a_refresh_renders_exactly_the_pages_that_show_the_record() {
        let plan = plan_of(45);
        let related = vec![vec![], vec![], vec![], vec![25]];
        let listed = Page::Listed { list: 0, number: 2 };
        let feed = Page::Feed { list: 0 };
        assert!(plan.shows(&listed, 25, &related) && !plan.shows(&listed, 19, &related));
        assert!(plan.shows(&feed, 9, &related) && !plan.shows(&feed, 10, &related));
        assert!(plan.shows(&Page::Record(3), 25, &related));
        assert!(plan.shows(&Page::Record(3), 3, &related));
        assert!(!plan.shows(&Page::Record(2), 25, &related));
        assert!(plan.shows(&Page::Front, 5, &related) && !plan.shows(&Page::Front, 6, &related));
        assert!(!plan.shows(&Page::Networks, 0, &related));
        assert!(plan.shows(&Page::RecordFeed(3), 3, &related));
        assert!(!plan.shows(&Page::RecordFeed(3), 25, &related));
        assert!(plan.shows(&Page::Statistics, 44, &related));
    }
}
