//! Every HTML page of the site: record pages, overviews, taxonomy pages, the front page and the
//! fixed pages. [`render`] renders one planned page (see [`super::plan`]); each function builds
//! views and hands them to one template.

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Mutex;
use tera::Context;

use super::paginate::pager;
use super::plan::{LATEST, Listing, Page, PagePlan, Planned, Taxonomy, Term};
use super::register::{self, RegisterFilter};
use super::sharing::PageMeta;
use super::views::{Card, Entry, LinkView};
use super::{Change, Site};
use crate::content::{Record, RecordKind};
use crate::i18n::Lang;
use crate::norwegian::compare;
use crate::output::Sink;

/// The most pages one rayon job renders. rayon splits a parallel loop into a few large parts
/// (four on two cores) and splits a part further only when another thread steals it, so a
/// thread that finished its own work could sit idle while the other rendered the last large
/// part alone: at 100,000 records, in some builds, 3 to 5 s of an idle core. Pages take a
/// millisecond or less, so a job of 16 costs little to hand out and leaves a tail of a few
/// milliseconds at most.
const PAGES_PER_JOB: usize = 16;

/// Renders `pages` of `plan` in parallel into `sink`, each as soon as it is rendered.
/// `related` holds each record's related records (by position in the newest-first records);
/// only record pages read it.
pub fn render_all(
    site: &Site<'_>,
    plan: &PagePlan,
    pages: &[&Planned],
    related: &[Vec<usize>],
    sink: &dyn Sink,
) -> Result<()> {
    pages
        .par_iter()
        .with_max_len(PAGES_PER_JOB)
        .try_for_each(|planned| sink.put(planned.file(), render(site, plan, planned, related)?))
}

/// Renders one planned page or feed.
fn render(
    site: &Site<'_>,
    plan: &PagePlan,
    planned: &Planned,
    related: &[Vec<usize>],
) -> Result<Vec<u8>> {
    let path = planned.path.as_str();
    match planned.page {
        Page::Record(i) => record_page(site, i, &related[i]),
        Page::RecordFeed(i) => super::record_feed::feed(site, i, path),
        Page::Listed { list, number } => list_page(site, plan, list, number, path),
        Page::Feed { list } => super::feeds::feed(site, plan, list, path),
        Page::Front => front_page(site),
        Page::Changes { list } => changes_page(site, plan, list),
        Page::Networks => networks_page(site, plan),
        Page::Terms(taxonomy) => terms_page(site, plan, taxonomy),
        Page::About(i) => about_page(site, i),
        Page::Statistics => super::statistics::page(site),
        Page::Fixed {
            template,
            title_key,
        } => fixed_page(site, path, template, title_key),
    }
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    root: &'a str,
    repository: Option<&'a str>,
    /// The about pages, linked from every page's footer.
    about: Vec<LinkView>,
    /// In a pull request's preview, the records it changes (empty otherwise).
    preview: Vec<PreviewView>,
}

#[derive(Serialize)]
struct PreviewView {
    title: String,
    /// None for a removed record: it has no page.
    url: Option<String>,
    change: String,
}

/// What every page's context holds: the site, interface strings and assets (the same on every
/// page in `lang`, [`Shared`]), and the page's identity.
pub(super) fn base_context<'s>(
    site: &'s Site<'_>,
    lang: Lang,
    title: &str,
    path: &str,
    section: &str,
) -> PageContext<'s> {
    let mut cx = site.shared[&lang].context();
    cx.insert("page_title", title);
    cx.insert("path", path);
    cx.insert("canonical", &site.urls.absolute(path));
    cx.insert("section", section);
    // Issue 15 (sharing): Open Graph tags, licence; the front page and the search page have
    // their own search field, so the header's is left out there.
    cx.insert("meta", &PageMeta::new(site, lang, title, path));
    cx.insert("header_search", &!matches!(section, "forside" | "sok"));
    cx
}

/// The part of every page's context that is the same on every page in one language, made once
/// (serializing the interface strings for every page was a tenth of a build) and then reused
/// from page to page rather than copied for each: copying its 234 interface strings, and freeing
/// them again, for each of a large site's pages was a fortieth of its build.
pub struct Shared {
    context: Context,
    /// Contexts holding the shared part and no page's items, ready for the next page.
    spare: Mutex<Vec<Context>>,
}

impl Shared {
    pub(super) fn new(context: Context) -> Shared {
        Shared {
            context,
            spare: Mutex::new(Vec::new()),
        }
    }

    /// A context with the shared part, for one page.
    fn context(&self) -> PageContext<'_> {
        let spare = self.spare.lock().ok().and_then(|mut spare| spare.pop());
        PageContext {
            context: spare.unwrap_or_else(|| self.context.clone()),
            items: Vec::new(),
            shared: self,
        }
    }
}

/// One page's context: the shared part of its language and the page's own items, which are
/// removed again when the page is done, so the context can serve the next page.
pub(super) struct PageContext<'s> {
    context: Context,
    items: Vec<&'static str>,
    shared: &'s Shared,
}

impl PageContext<'_> {
    /// Adds one of the page's own items. Panics for a name of the shared part, which a page
    /// may not replace (it would be gone for the pages after).
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        assert!(
            !self.shared.context.contains_key(key),
            "a page cannot replace the shared `{key}`"
        );
        if !self.items.contains(&key) {
            self.items.push(key);
        }
        self.context.insert(key, value);
    }
}

impl std::ops::Deref for PageContext<'_> {
    type Target = Context;

    fn deref(&self) -> &Context {
        &self.context
    }
}

impl Drop for PageContext<'_> {
    fn drop(&mut self) {
        for key in &self.items {
            self.context.remove(key);
        }
        if let Ok(mut spare) = self.shared.spare.lock() {
            spare.push(std::mem::take(&mut self.context));
        }
    }
}

/// What [`Shared`] holds for `lang`: the site, its interface strings, the assets and the
/// search engine's addresses.
pub(super) fn shared_context(site: &Site<'_>, lang: Lang) -> Context {
    let config = &site.loaded.config;
    let mut cx = Context::new();
    cx.insert(
        "site",
        &SiteView {
            title: &config.title,
            description: &config.description,
            root: site.urls.root(),
            repository: config.repository.as_deref(),
            about: site
                .loaded
                .about
                .iter()
                .map(|p| LinkView {
                    name: p.title.clone(),
                    url: site.urls.page(&p.path()),
                })
                .collect(),
            preview: site
                .preview
                .iter()
                .map(|p| {
                    let (key, url) = match p.change {
                        Change::Added => ("preview_added", true),
                        Change::Changed => ("preview_changed", true),
                        Change::Removed => ("preview_removed", false),
                    };
                    PreviewView {
                        title: p.title.clone(),
                        url: url.then(|| site.urls.page(&p.kind.record_path(&p.slug))),
                        change: site.strings.get(lang, key).to_string(),
                    }
                })
                .collect(),
        },
    );
    cx.insert("t", site.strings.table(lang));
    cx.insert("lang", &lang);
    cx.insert("assets", &*site.assets);
    cx.insert("search", &site.search_assets);
    cx
}

fn t<'s>(site: &'s Site<'_>, key: &str) -> &'s str {
    site.strings.get(site.lang, key)
}

fn record_page(site: &Site<'_>, i: usize, related: &[usize]) -> Result<Vec<u8>> {
    let record = site.records[i];
    let mut view = site.record_view(i);
    view.related = related
        .iter()
        .map(|j| site.card(*j, record.common.language).entry())
        .collect();
    let path = record.path();
    let mut cx = base_context(
        site,
        record.common.language,
        &record.common.title,
        &path,
        record.kind.folder(),
    );
    cx.insert("record", &view);
    cx.insert("meta", &PageMeta::record(site, record));
    let template = format!("{}.html", record.kind.id());
    site.render(&template, &cx, &path)
}

/// The cards of the records at `positions` in `site.records`.
fn cards<'s>(site: &'s Site<'_>, positions: &[usize]) -> Vec<&'s Card> {
    positions
        .iter()
        .map(|at| site.card(*at, site.lang))
        .collect()
}

/// The records at `positions` in `site.records`, as lines on a list of links.
fn entries<'s>(site: &'s Site<'_>, positions: &[usize]) -> Vec<Entry<'s>> {
    positions
        .iter()
        .map(|at| site.card(*at, site.lang).entry())
        .collect()
}

/// Page `number` of a list, with the template of what the list is of.
fn list_page(
    site: &Site<'_>,
    plan: &PagePlan,
    list: usize,
    number: usize,
    path: &str,
) -> Result<Vec<u8>> {
    let page = ListPage {
        site,
        plan,
        list,
        number,
        path,
    };
    match &plan.lists[list].of {
        Listing::Kind(RecordKind::Practice) => practice_overview(page, None),
        Listing::ProjectsByPhase => project_overview(page, None),
        Listing::Register(Some(f)) if f.kind == RecordKind::Practice => {
            practice_overview(page, Some(f))
        }
        Listing::Register(Some(f)) if f.kind == RecordKind::Project => {
            project_overview(page, Some(f))
        }
        Listing::Register(filter) => barrier_overview(page, filter.as_ref()),
        Listing::Network(id) => network_page(page, id),
        Listing::Term(term) => term_page(page, term),
        of @ (Listing::All
        | Listing::Kind(RecordKind::Project | RecordKind::Barrier)
        | Listing::Changed) => {
            unreachable!("the plan gives {of:?} no pages")
        }
    }
}

/// One page of a paginated list.
#[derive(Clone, Copy)]
struct ListPage<'p, 's> {
    site: &'p Site<'s>,
    plan: &'p PagePlan,
    list: usize,
    number: usize,
    path: &'p str,
}

impl<'s> ListPage<'_, 's> {
    /// The positions in `site.records` of the records the page shows.
    fn chunk(&self) -> &[usize] {
        self.plan.chunk(self.list, self.number)
    }

    /// Whether the list links to its records rather than showing their cards
    /// (`Listing::links`).
    fn links(&self) -> bool {
        self.plan.lists[self.list].of.links()
    }

    /// Every record of the list.
    fn all(&self) -> Vec<&'s Record> {
        let records = &self.site.records;
        let all = &self.plan.lists[self.list].records;
        all.iter().map(|i| records[*i]).collect()
    }

    /// Renders the page: `fill` adds the page's own items to the context.
    fn render(
        &self,
        template: &str,
        title: &str,
        section: &str,
        fill: impl FnOnce(&mut PageContext<'_>, &[usize]),
    ) -> Result<Vec<u8>> {
        let site = self.site;
        let list = &self.plan.lists[self.list];
        let total = self.plan.page_count(self.list);
        let pager = pager(&list.base, self.number, total, &site.urls);
        let page_title = if self.number > 1 {
            format!("{title} – {} {}", t(site, "page"), self.number)
        } else {
            title.to_string()
        };
        let mut cx = base_context(site, site.lang, &page_title, self.path, section);
        let meta = PageMeta::list(site, &list.of, &page_title, self.path);
        cx.insert("meta", &meta);
        cx.insert("heading", title);
        cx.insert("pager", &pager);
        cx.insert("total", &list.records.len());
        fill(&mut cx, self.chunk());
        site.render(template, &cx, self.path)
    }
}

/// A register's title, with the value it is filtered by.
fn register_title(site: &Site<'_>, kind: RecordKind, filter: Option<&RegisterFilter>) -> String {
    let plural = t(site, kind.plural());
    match filter {
        Some(f) => format!("{plural}: {}", f.name),
        None => plural.to_string(),
    }
}

/// What every register's filter links need (`register-filters.html`).
fn insert_filters(
    cx: &mut PageContext<'_>,
    page: &ListPage<'_, '_>,
    kind: RecordKind,
    filter: Option<&RegisterFilter>,
) {
    let site = page.site;
    cx.insert("facets", &register::nav(site, page.plan, kind, filter));
    cx.insert(
        "filter",
        &filter.map(|f| (f.facet.folder(), &f.slug, &f.name)),
    );
    cx.insert(
        "register_all",
        &site.urls.page(&format!("{}/", kind.folder())),
    );
    cx.insert("register_data", &site.urls.page(&register::data_path(kind)));
    cx.insert("register_heading", &register_title(site, kind, None));
    cx.insert(
        "register_shown",
        t(site, &format!("register_shown_{}", kind.id())),
    );
}

fn practice_overview(page: ListPage<'_, '_>, filter: Option<&RegisterFilter>) -> Result<Vec<u8>> {
    let site = page.site;
    let kind = RecordKind::Practice;
    let title = register_title(site, kind, filter);
    page.render(
        "records.html",
        &title,
        RecordKind::Practice.folder(),
        |cx, chunk| {
            insert_filters(cx, &page, kind, filter);
            cx.insert("intro", t(site, "practices_intro"));
            if page.links() {
                cx.insert("entries", &entries(site, chunk));
            } else {
                cx.insert("cards", &cards(site, chunk));
            }
            cx.insert("feed", &site.urls.page(&RecordKind::Practice.feed_path()));
        },
    )
}

/// The barrier register, whole or filtered (see `register.rs`).
fn barrier_overview(page: ListPage<'_, '_>, filter: Option<&RegisterFilter>) -> Result<Vec<u8>> {
    let site = page.site;
    let title = register_title(site, RecordKind::Barrier, filter);
    let today = site.content_date;
    page.render(
        "barriers.html",
        &title,
        RecordKind::Barrier.folder(),
        |cx, chunk| {
            cx.insert("intro", t(site, "barriers_intro"));
            cx.insert("rows", &register::rows(site, chunk, today));
            cx.insert("today", &super::views::DateView::new(today, site.lang));
            insert_filters(cx, &page, RecordKind::Barrier, filter);
            cx.insert("feed", &site.urls.page(&RecordKind::Barrier.feed_path()));
        },
    )
}

/// The records of one phase on a page of the project register: cards, or lines on a list of
/// links in a filtered view.
#[derive(Serialize)]
struct Group<T> {
    name: String,
    records: Vec<T>,
}

/// The records at `positions`, each as `show` makes it, in groups of one phase (the positions
/// are in phase order, see `PagePlan::kinds`).
fn by_phase<T>(site: &Site<'_>, positions: &[usize], show: impl Fn(usize) -> T) -> Vec<Group<T>> {
    let mut groups: Vec<Group<T>> = Vec::new();
    for &at in positions {
        let record = site.records[at];
        let phase = match &record.details {
            crate::content::Details::Project(p) => p.phase.label(site.lang).to_string(),
            _ => site.badge(record, site.lang),
        };
        match groups.last_mut() {
            Some(group) if group.name == phase => group.records.push(show(at)),
            _ => groups.push(Group {
                name: phase,
                records: vec![show(at)],
            }),
        }
    }
    groups
}

fn project_overview(page: ListPage<'_, '_>, filter: Option<&RegisterFilter>) -> Result<Vec<u8>> {
    let site = page.site;
    let kind = RecordKind::Project;
    let title = register_title(site, kind, filter);
    page.render(
        "projects.html",
        &title,
        RecordKind::Project.folder(),
        |cx, chunk| {
            insert_filters(cx, &page, kind, filter);
            cx.insert("intro", t(site, "projects_intro"));
            let card = |at| site.card(at, site.lang);
            if page.links() {
                cx.insert("groups", &by_phase(site, chunk, |at| card(at).entry()));
            } else {
                cx.insert("groups", &by_phase(site, chunk, card));
            }
            cx.insert("feed", &site.urls.page(&RecordKind::Project.feed_path()));
        },
    )
}

#[derive(Serialize)]
struct NetworkView {
    id: String,
    name: String,
    summary: String,
    url: String,
    body: String,
    aliases: Vec<String>,
    counties: Vec<String>,
    members: Vec<LinkView>,
    founded: Option<i64>,
    website: Option<String>,
    contact: Option<String>,
    counts: Vec<KindCount>,
    feed: String,
    /// Issue 15: the network's e-mail, form and website, as on its records.
    contact_network: super::contact::ContactView,
}

#[derive(Serialize)]
struct KindCount {
    label: String,
    count: usize,
}

fn network_view(site: &Site<'_>, id: &str, records: &[&Record]) -> NetworkView {
    let network = &site.loaded.networks[id];
    let reference = &site.loaded.reference;
    let mut members: Vec<LinkView> = network
        .members
        .iter()
        .map(|n| site.municipality_link(n))
        .collect();
    members.sort_by(|a, b| compare(&a.name, &b.name));
    NetworkView {
        id: id.to_string(),
        name: network.name.clone(),
        summary: network.summary.clone(),
        url: site.urls.page(&network.path()),
        body: site
            .resolved
            .network_html(id)
            .unwrap_or_default()
            .to_string(),
        aliases: network.aliases.clone(),
        counties: network
            .counties
            .iter()
            .map(|c| reference.counties[c].name.clone())
            .collect(),
        members,
        founded: network.founded,
        website: network.website.clone(),
        contact: network.contact.clone(),
        counts: RecordKind::ALL
            .iter()
            .map(|kind| KindCount {
                label: site.strings.get(site.lang, kind.plural()).to_string(),
                count: records.iter().filter(|r| r.kind == *kind).count(),
            })
            .collect(),
        feed: site.urls.page(&format!("{}atom.xml", network.path())),
        contact_network: site.network_contact(network),
    }
}

fn network_page(page: ListPage<'_, '_>, id: &str) -> Result<Vec<u8>> {
    let site = page.site;
    let view = network_view(site, id, &page.all());
    let name = &site.loaded.networks[id].name;
    page.render("network.html", name, "nettverk", |cx, chunk| {
        cx.insert("network", &view);
        cx.insert("entries", &entries(site, chunk));
    })
}

/// The list of networks.
fn networks_page(site: &Site<'_>, plan: &PagePlan) -> Result<Vec<u8>> {
    let mut views: Vec<NetworkView> = plan
        .lists_of(|of| matches!(of, Listing::Network(_)))
        .filter_map(|list| match &list.of {
            Listing::Network(id) => {
                let records: Vec<&Record> = list.records.iter().map(|i| site.records[*i]).collect();
                Some(network_view(site, id, &records))
            }
            _ => None,
        })
        .collect();
    views.sort_by(|a, b| compare(&a.name, &b.name));
    let mut cx = base_context(
        site,
        site.lang,
        t(site, "networks"),
        "nettverk/",
        "nettverk",
    );
    cx.insert("networks", &views);
    site.render("networks.html", &cx, "nettverk/")
}

#[derive(Serialize, Clone)]
struct TermView {
    name: String,
    url: String,
    count: usize,
    description: Option<String>,
    /// For solutions: who owns it and where it lives.
    owner: Option<String>,
    website: Option<String>,
    group: String,
    /// For municipalities: the networks it belongs to (issue 15).
    networks: Vec<LinkView>,
}

#[derive(Serialize)]
struct TermGroup {
    name: String,
    terms: Vec<TermView>,
}

fn term_page(page: ListPage<'_, '_>, term: &Term) -> Result<Vec<u8>> {
    let site = page.site;
    let folder = term.taxonomy.folder();
    let mut view = term_view(site, term);
    view.count = page.plan.lists[page.list].records.len();
    let title_key = format!("{folder}_title");
    page.render("term.html", &view.name, folder, |cx, chunk| {
        cx.insert("term", &view);
        cx.insert("taxonomy", folder);
        cx.insert("taxonomy_title", t(site, &title_key));
        cx.insert("entries", &entries(site, chunk));
    })
}

/// The list of a taxonomy's terms, grouped (municipalities by county), with their counts.
fn terms_page(site: &Site<'_>, plan: &PagePlan, taxonomy: Taxonomy) -> Result<Vec<u8>> {
    let mut views: Vec<TermView> = plan
        .lists_of(|of| matches!(of, Listing::Term(term) if term.taxonomy == taxonomy))
        .filter_map(|list| match &list.of {
            Listing::Term(term) => {
                let mut view = term_view(site, term);
                view.count = list.records.len();
                Some(view)
            }
            _ => None,
        })
        .collect();
    views.sort_by(|a, b| compare(&a.group, &b.group).then_with(|| compare(&a.name, &b.name)));
    let groups = group_terms(site, views);
    let folder = taxonomy.folder();
    let path = format!("{folder}/");
    let mut cx = base_context(
        site,
        site.lang,
        t(site, &format!("{folder}_title")),
        &path,
        folder,
    );
    cx.insert("groups", &groups);
    cx.insert("taxonomy", folder);
    cx.insert("intro", t(site, &format!("{folder}_intro")));
    site.render("terms.html", &cx, &path)
}

/// Terms grouped in order; terms no record uses yet last, in their own group and not linked,
/// so a reader never follows a link to an empty page.
fn group_terms(site: &Site<'_>, views: Vec<TermView>) -> Vec<TermGroup> {
    let (used, empty): (Vec<TermView>, Vec<TermView>) =
        views.into_iter().partition(|v| v.count > 0);
    let mut groups: Vec<TermGroup> = Vec::new();
    for view in used {
        match groups.last_mut() {
            Some(g) if g.name == view.group => g.terms.push(view),
            _ => groups.push(TermGroup {
                name: view.group.clone(),
                terms: vec![view],
            }),
        }
    }
    let mut empty = empty;
    empty.sort_by(|a, b| compare(&a.name, &b.name));
    groups.push(TermGroup {
        name: t(site, "terms_empty").to_string(),
        terms: empty
            .into_iter()
            .map(|v| TermView {
                url: String::new(),
                ..v
            })
            .collect(),
    });
    groups.retain(|g| !g.terms.is_empty());
    groups
}

fn term_view(site: &Site<'_>, term: &Term) -> TermView {
    let reference = &site.loaded.reference;
    let key = term.key.as_str();
    let url = site.urls.page(&term.taxonomy.term_path(&term.slug));
    let blank = TermView {
        name: key.to_string(),
        url,
        count: 0,
        description: None,
        owner: None,
        website: None,
        group: String::new(),
        networks: Vec::new(),
    };
    match term.taxonomy {
        Taxonomy::ServiceArea => {
            let area = &reference.service_areas[key];
            TermView {
                name: area.name(site.lang).to_string(),
                description: Some(area.description.clone()),
                ..blank
            }
        }
        Taxonomy::Solution => {
            let solution = &reference.solutions[key];
            TermView {
                name: solution.name.clone(),
                description: Some(solution.description.clone()),
                owner: Some(solution.owner.clone()),
                website: Some(solution.url.clone()),
                ..blank
            }
        }
        Taxonomy::Municipality => {
            let m = &reference.municipalities[key];
            let county = reference.counties[&m.county].name.clone();
            TermView {
                name: m.name.clone(),
                description: Some(format!(
                    "{} {}, {county}",
                    t(site, "municipality_number"),
                    m.number
                )),
                group: county,
                networks: site.networks_of_municipality(&m.number),
                ..blank
            }
        }
        Taxonomy::Tag => {
            let others: Vec<&str> = term
                .spellings
                .iter()
                .filter(|s| **s != term.key)
                .map(String::as_str)
                .collect();
            TermView {
                description: (!others.is_empty())
                    .then(|| format!("{}: {}", t(site, "tag_also_written"), others.join(", "))),
                ..blank
            }
        }
    }
}

#[derive(Serialize)]
struct Way {
    label: String,
    description: String,
    url: String,
    count: usize,
}

fn front_page(site: &Site<'_>) -> Result<Vec<u8>> {
    let latest: Vec<usize> = (0..site.records.len().min(LATEST)).collect();
    let ways: Vec<Way> = RecordKind::ALL
        .iter()
        .map(|kind| Way {
            label: site.strings.get(site.lang, kind.plural()).to_string(),
            description: site
                .strings
                .get(site.lang, &format!("{}_intro", kind.plural()))
                .to_string(),
            url: site.urls.page(&format!("{}/", kind.folder())),
            count: site.records.iter().filter(|r| r.kind == *kind).count(),
        })
        .collect();
    let mut networks: Vec<LinkView> = site
        .loaded
        .networks
        .keys()
        .map(|id| site.network_link(id))
        .collect();
    networks.sort_by(|a, b| compare(&a.name, &b.name));
    // Only service areas some record is about: an empty one would lead to a page of nothing
    // (`/tjenesteomrader/` lists those apart).
    let used: BTreeSet<&String> = site
        .records
        .iter()
        .flat_map(|r| &r.common.service_areas)
        .collect();
    let mut areas: Vec<LinkView> = used
        .into_iter()
        .map(|id| site.service_area_link(id, site.lang))
        .collect();
    areas.sort_by(|a, b| compare(&a.name, &b.name));
    let mut cx = base_context(site, site.lang, &site.loaded.config.title, "", "forside");
    cx.insert("latest", &cards(site, &latest));
    cx.insert("ways", &ways);
    cx.insert("networks", &networks);
    cx.insert("service_areas", &areas);
    site.render("index.html", &cx, "")
}

#[derive(Serialize)]
struct ChangeEntry<'s> {
    card: &'s Card,
    date: super::views::DateView,
    new: bool,
    notes: Vec<String>,
}

/// "Nytt og endret": what was added or changed lately, and how.
fn changes_page(site: &Site<'_>, plan: &PagePlan, list: usize) -> Result<Vec<u8>> {
    let entries: Vec<ChangeEntry> = plan.lists[list]
        .records
        .iter()
        .map(|&at| (at, site.records[at]))
        .map(|(at, r)| ChangeEntry {
            card: site.card(at, site.lang),
            date: super::views::DateView::new(r.common.last_changed(), site.lang),
            new: site.is_new(r),
            notes: site.change_notes(r, site.lang),
        })
        .collect();
    let mut cx = base_context(site, site.lang, t(site, "changes_title"), "nytt/", "nytt");
    cx.insert("entries", &entries);
    cx.insert("feed", &site.urls.page("nytt/atom.xml"));
    site.render("changes.html", &cx, "nytt/")
}

#[derive(Serialize)]
struct AboutView<'a> {
    title: &'a str,
    summary: &'a str,
    updated: Option<super::views::DateView>,
    body: &'a str,
}

/// A page about the site (`content/om/`), in its own language.
fn about_page(site: &Site<'_>, i: usize) -> Result<Vec<u8>> {
    let page = &site.loaded.about[i];
    let body = site.resolved.about_html().nth(i).unwrap_or_default();
    let path = page.path();
    let mut cx = base_context(site, page.language, &page.title, &path, "om");
    let meta = PageMeta::new(site, page.language, &page.title, &path).described(&page.summary);
    cx.insert("meta", &meta);
    cx.insert(
        "page",
        &AboutView {
            title: &page.title,
            summary: &page.summary,
            updated: page
                .updated
                .map(|d| super::views::DateView::new(d, page.language)),
            body,
        },
    );
    site.render("about.html", &cx, &path)
}

fn fixed_page(site: &Site<'_>, path: &str, template: &str, title_key: &str) -> Result<Vec<u8>> {
    let cx = base_context(
        site,
        site.lang,
        t(site, title_key),
        path,
        path.trim_end_matches('/'),
    );
    site.render(template, &cx, path)
}

#[cfg(test)]
mod tests {
    use super::{Context, Shared};

    fn shared() -> Shared {
        let mut context = Context::new();
        context.insert("t", &"interface strings");
        Shared::new(context)
    }

    #[test]
    fn a_page_items_are_gone_when_the_next_page_gets_the_reused_context() {
        let shared = shared();
        {
            let mut first = shared.context();
            first.insert("record", &"the first page's record");
            first.insert("filter", &"its filter");
            assert!(first.contains_key("record") && first.contains_key("t"));
        }
        let second = shared.context();
        assert!(!second.contains_key("record"));
        assert!(!second.contains_key("filter"));
        assert_eq!(
            second.get("t").and_then(|t| t.as_str()),
            Some("interface strings")
        );
    }

    #[test]
    #[should_panic(expected = "a page cannot replace the shared `t`")]
    fn a_page_cannot_replace_the_shared_part() {
        shared().context().insert("t", &"other strings");
    }
}
