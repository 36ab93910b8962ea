//! Every HTML page of the site: record pages, overviews, taxonomy pages, the front page and the
//! fixed pages. Each function builds views and hands them to one template.

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

use super::paginate::{Pager, paginate};
use super::views::{Card, LinkView};
use super::{Change, Site};
use crate::content::{Details, Record, RecordKind};
use crate::i18n::Lang;
use crate::norwegian::{compare, slugify};

type Page = (String, Vec<u8>);

pub fn all(site: &Site<'_>, related: &[Vec<usize>]) -> Result<Vec<Page>> {
    let mut pages = record_pages(site, related)?;
    pages.extend(all_but_records(site)?);
    Ok(pages)
}

/// Every page except the records' own: these do not need related records, so a full build
/// renders them while the search index is being written.
pub fn all_but_records(site: &Site<'_>) -> Result<Vec<Page>> {
    let mut pages = Vec::new();
    pages.extend(practice_overview(site)?);
    pages.extend(barrier_overview(site)?);
    pages.extend(project_overview(site)?);
    pages.extend(network_pages(site)?);
    for taxonomy in Taxonomy::ALL {
        pages.extend(taxonomy_pages(site, taxonomy)?);
    }
    pages.extend(front_page(site)?);
    pages.extend(changes_page(site)?);
    if site.focus.is_some() {
        // The remaining pages show no record.
        return Ok(pages);
    }
    pages.extend(about_pages(site)?);
    pages.push(simple_page(site, "sok/", "search.html", "search_title")?);
    pages.push(simple_page(site, "data/", "data.html", "data_title")?);
    pages.push(simple_page(
        site,
        "404.html",
        "404.html",
        "not_found_title",
    )?);
    Ok(pages)
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

/// What every page's context holds: the site, interface strings, assets and the page's identity.
fn base_context(site: &Site<'_>, lang: Lang, title: &str, path: &str, section: &str) -> Context {
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
                        url: url
                            .then(|| site.urls.page(&format!("{}/{}/", p.kind.folder(), p.slug))),
                        change: site.strings.get(lang, key).to_string(),
                    }
                })
                .collect(),
        },
    );
    cx.insert("t", site.strings.table(lang));
    cx.insert("lang", &lang);
    cx.insert("page_title", title);
    cx.insert("path", path);
    cx.insert("canonical", &site.urls.absolute(path));
    cx.insert("section", section);
    cx.insert("assets", &*site.assets);
    cx.insert("search", &site.search_assets);
    cx
}

fn t<'s>(site: &'s Site<'_>, key: &str) -> &'s str {
    site.strings.get(site.lang, key)
}

pub fn record_pages(site: &Site<'_>, related: &[Vec<usize>]) -> Result<Vec<Page>> {
    let focused = site
        .focus
        .as_ref()
        .map(|f| site.records.iter().position(|r| f.is(r)));
    (0..site.records.len())
        .into_par_iter()
        .filter(|i| match focused {
            None => true,
            // A record's page shows its related records' cards too.
            Some(Some(at)) => *i == at || related[*i].contains(&at),
            Some(None) => false,
        })
        .map(|i| {
            let record = site.records[i];
            let mut view = site.record_view(i);
            view.related = related[i]
                .iter()
                .map(|j| site.card(site.records[*j], record.common.language))
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
            let template = format!("{}.html", record.kind.id());
            Ok((
                format!("{path}index.html"),
                site.render(&template, &cx, &path)?,
            ))
        })
        .collect()
}

fn cards(site: &Site<'_>, records: &[&Record]) -> Vec<Card> {
    records.iter().map(|r| site.card(r, site.lang)).collect()
}

/// Renders a paginated list: `fill` adds the page's own items to the context.
fn paginated<'r>(
    site: &Site<'_>,
    records: &'r [&'r Record],
    base: &str,
    template: &str,
    title: &str,
    section: &str,
    fill: impl Fn(&mut Context, &'r [&'r Record], &Pager) + Sync,
) -> Result<Vec<Page>> {
    paginate(records, site.loaded.config.paginate_by, base, &site.urls)
        .into_par_iter()
        .filter(|(_, _, chunk)| site.renders(chunk))
        .map(|(path, pager, chunk)| {
            let page_title = if pager.current > 1 {
                format!("{title} – {} {}", t(site, "page"), pager.current)
            } else {
                title.to_string()
            };
            let mut cx = base_context(site, site.lang, &page_title, &path, section);
            cx.insert("heading", title);
            cx.insert("pager", &pager);
            cx.insert("total", &records.len());
            fill(&mut cx, chunk, &pager);
            Ok((
                format!("{path}index.html"),
                site.render(template, &cx, &path)?,
            ))
        })
        .collect()
}

fn practice_overview(site: &Site<'_>) -> Result<Vec<Page>> {
    let records = site.of_kind(RecordKind::Practice);
    paginated(
        site,
        &records,
        "erfaringer/",
        "records.html",
        t(site, "practices"),
        "erfaringer",
        |cx, chunk, _| {
            cx.insert("intro", t(site, "practices_intro"));
            cx.insert("cards", &cards(site, chunk));
            cx.insert("feed", &site.urls.page("erfaringer/atom.xml"));
        },
    )
}

#[derive(Serialize)]
struct BarrierRow {
    card: Card,
    status_class: String,
    ministry: String,
    ministry_short: String,
    legal: Option<LinkView>,
}

fn barrier_overview(site: &Site<'_>) -> Result<Vec<Page>> {
    let records = site.of_kind(RecordKind::Barrier);
    paginated(
        site,
        &records,
        "hindringer/",
        "barriers.html",
        t(site, "barriers"),
        "hindringer",
        |cx, chunk, _| {
            let rows: Vec<BarrierRow> = chunk
                .iter()
                .filter_map(|r| match &r.details {
                    Details::Barrier(b) => {
                        let ministry = &site.loaded.reference.ministries[&b.ministry];
                        Some(BarrierRow {
                            card: site.card(r, site.lang),
                            status_class: slugify(b.status.value),
                            ministry: ministry.name(site.lang).to_string(),
                            ministry_short: ministry.short.clone(),
                            legal: b.legal_references.first().map(|l| LinkView {
                                name: l.citation(),
                                url: l.url.clone().unwrap_or_default(),
                            }),
                        })
                    }
                    _ => None,
                })
                .collect();
            cx.insert("intro", t(site, "barriers_intro"));
            cx.insert("rows", &rows);
            cx.insert("feed", &site.urls.page("hindringer/atom.xml"));
        },
    )
}

#[derive(Serialize)]
struct Group {
    name: String,
    cards: Vec<Card>,
}

fn project_overview(site: &Site<'_>) -> Result<Vec<Page>> {
    let mut records = site.of_kind(RecordKind::Project);
    let phase_rank = |r: &Record| match &r.details {
        Details::Project(p) => p.phase.rank(&crate::content::vocab::PHASE),
        _ => usize::MAX,
    };
    // Stable sort keeps newest-first order inside each phase.
    records.sort_by_key(|r| phase_rank(r));
    paginated(
        site,
        &records,
        "prosjekter/",
        "projects.html",
        t(site, "projects"),
        "prosjekter",
        |cx, chunk, _| {
            let mut groups: Vec<Group> = Vec::new();
            for record in chunk {
                let phase = site.badge(record, site.lang);
                match groups.last_mut() {
                    Some(group) if group.name == phase => {
                        group.cards.push(site.card(record, site.lang))
                    }
                    _ => groups.push(Group {
                        name: phase,
                        cards: vec![site.card(record, site.lang)],
                    }),
                }
            }
            cx.insert("intro", t(site, "projects_intro"));
            cx.insert("groups", &groups);
            cx.insert("feed", &site.urls.page("prosjekter/atom.xml"));
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
        body: site.network_html.get(id).cloned().unwrap_or_default(),
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
                label: site
                    .strings
                    .get(site.lang, &format!("{}s", kind.id()))
                    .to_string(),
                count: records.iter().filter(|r| r.kind == *kind).count(),
            })
            .collect(),
        feed: site.urls.page(&format!("{}atom.xml", network.path())),
    }
}

fn network_pages(site: &Site<'_>) -> Result<Vec<Page>> {
    let mut pages = Vec::new();
    let mut views = Vec::new();
    for (id, network) in &site.loaded.networks {
        let records = site.of_network(id);
        if !site.renders(&records) {
            continue;
        }
        let view = network_view(site, id, &records);
        pages.extend(paginated(
            site,
            &records,
            &network.path(),
            "network.html",
            &network.name,
            "nettverk",
            |cx, chunk, _| {
                cx.insert("network", &view);
                cx.insert("cards", &cards(site, chunk));
            },
        )?);
        views.push(view);
    }
    if site.focus.is_some() {
        // The list of networks shows counts, which a refresh does not change.
        return Ok(pages);
    }
    views.sort_by(|a, b| compare(&a.name, &b.name));
    let mut cx = base_context(
        site,
        site.lang,
        t(site, "networks"),
        "nettverk/",
        "nettverk",
    );
    cx.insert("networks", &views);
    pages.push((
        "nettverk/index.html".into(),
        site.render("networks.html", &cx, "nettverk/")?,
    ));
    Ok(pages)
}

/// The ways to slice records other than by network: each term gets a page listing its records.
use super::urls::Taxonomy;

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
}

#[derive(Serialize)]
struct TermGroup {
    name: String,
    terms: Vec<TermView>,
}

fn taxonomy_pages<'a>(site: &Site<'a>, taxonomy: Taxonomy) -> Result<Vec<Page>> {
    let reference = &site.loaded.reference;
    // Term slug -> (view, records), in record order (newest first).
    let mut terms: BTreeMap<String, (TermView, Vec<&Record>)> = BTreeMap::new();
    let keys_of = |record: &'a Record| -> &'a [String] {
        let c = &record.common;
        match taxonomy {
            Taxonomy::ServiceArea => &c.service_areas,
            Taxonomy::Solution => &c.solutions,
            Taxonomy::Municipality => &c.municipalities,
            Taxonomy::Tag => &c.tags,
        }
    };
    // A refresh renders only the terms of the changed record.
    let focused: Option<&[String]> = site
        .focus
        .as_ref()
        .and_then(|f| site.records.iter().find(|r| f.is(r)))
        .map(|r| keys_of(r));
    for record in &site.records {
        for key in keys_of(record) {
            if focused.is_some_and(|keys| !keys.contains(key)) {
                continue;
            }
            let slug = match taxonomy {
                Taxonomy::Municipality => reference.municipalities[key].slug(),
                Taxonomy::Tag => slugify(key),
                _ => key.clone(),
            };
            let entry = terms
                .entry(slug.clone())
                .or_insert_with(|| (term_view(site, taxonomy, key, &slug), Vec::new()));
            entry.1.push(record);
        }
    }
    // Service areas and solutions get a page even when no record uses them yet, so links from
    // reference lists never break.
    let all_keys: Vec<&String> = match taxonomy {
        _ if focused.is_some() => Vec::new(),
        Taxonomy::ServiceArea => reference.service_areas.keys().collect(),
        Taxonomy::Solution => reference.solutions.keys().collect(),
        _ => Vec::new(),
    };
    for key in all_keys {
        terms
            .entry(key.clone())
            .or_insert_with(|| (term_view(site, taxonomy, key, key), Vec::new()));
    }

    let folder = taxonomy.folder();
    let title_key = format!("{folder}_title");
    let mut pages = Vec::new();
    for (slug, (view, records)) in &terms {
        let mut view = view.clone();
        view.count = records.len();
        let base = format!("{folder}/{slug}/");
        pages.extend(paginated(
            site,
            records,
            &base,
            "term.html",
            &view.name,
            folder,
            |cx, chunk, _| {
                cx.insert("term", &view);
                cx.insert("taxonomy", folder);
                cx.insert("taxonomy_title", t(site, &title_key));
                cx.insert("cards", &cards(site, chunk));
            },
        )?);
    }

    if site.focus.is_some() {
        // The list of terms shows counts, which a refresh does not change.
        return Ok(pages);
    }
    let mut views: Vec<TermView> = terms
        .into_values()
        .map(|(mut v, records)| {
            v.count = records.len();
            v
        })
        .collect();
    views.sort_by(|a, b| compare(&a.group, &b.group).then_with(|| compare(&a.name, &b.name)));
    let mut groups: Vec<TermGroup> = Vec::new();
    for view in views {
        match groups.last_mut() {
            Some(g) if g.name == view.group => g.terms.push(view),
            _ => groups.push(TermGroup {
                name: view.group.clone(),
                terms: vec![view],
            }),
        }
    }
    let path = format!("{folder}/");
    let mut cx = base_context(site, site.lang, t(site, &title_key), &path, folder);
    cx.insert("groups", &groups);
    cx.insert("taxonomy", folder);
    cx.insert("intro", t(site, &format!("{folder}_intro")));
    pages.push((
        format!("{path}index.html"),
        site.render("terms.html", &cx, &path)?,
    ));
    Ok(pages)
}

fn term_view(site: &Site<'_>, taxonomy: Taxonomy, key: &str, slug: &str) -> TermView {
    let reference = &site.loaded.reference;
    let url = site.urls.page(&format!("{}/{slug}/", taxonomy.folder()));
    let blank = TermView {
        name: key.to_string(),
        url,
        count: 0,
        description: None,
        owner: None,
        website: None,
        group: String::new(),
    };
    match taxonomy {
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
                ..blank
            }
        }
        Taxonomy::Tag => blank,
    }
}

#[derive(Serialize)]
struct Way {
    label: String,
    description: String,
    url: String,
    count: usize,
}

fn front_page(site: &Site<'_>) -> Result<Option<Page>> {
    let latest: Vec<&Record> = site.records.iter().copied().take(6).collect();
    if !site.renders(&latest) {
        return Ok(None);
    }
    let ways: Vec<Way> = RecordKind::ALL
        .iter()
        .map(|kind| Way {
            label: site
                .strings
                .get(site.lang, &format!("{}s", kind.id()))
                .to_string(),
            description: site
                .strings
                .get(site.lang, &format!("{}s_intro", kind.id()))
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
    let mut areas: Vec<LinkView> = site
        .loaded
        .reference
        .service_areas
        .keys()
        .map(|id| site.service_area_link(id, site.lang))
        .collect();
    areas.sort_by(|a, b| compare(&a.name, &b.name));
    let mut cx = base_context(site, site.lang, &site.loaded.config.title, "", "forside");
    cx.insert("latest", &cards(site, &latest));
    cx.insert("ways", &ways);
    cx.insert("networks", &networks);
    cx.insert("service_areas", &areas);
    Ok(Some((
        "index.html".into(),
        site.render("index.html", &cx, "")?,
    )))
}

#[derive(Serialize)]
struct ChangeEntry {
    card: Card,
    date: super::views::DateView,
    new: bool,
    notes: Vec<String>,
}

/// "Nytt og endret": what was added or changed lately, and how.
fn changes_page(site: &Site<'_>) -> Result<Option<Page>> {
    let changed = site.recently_changed();
    if !site.renders(&changed) {
        return Ok(None);
    }
    let entries: Vec<ChangeEntry> = changed
        .into_iter()
        .map(|r| ChangeEntry {
            card: site.card(r, site.lang),
            date: super::views::DateView::new(r.common.last_changed(), site.lang),
            new: site.is_new(r),
            notes: site.change_notes(r, site.lang),
        })
        .collect();
    let mut cx = base_context(site, site.lang, t(site, "changes_title"), "nytt/", "nytt");
    cx.insert("entries", &entries);
    cx.insert("feed", &site.urls.page("nytt/atom.xml"));
    Ok(Some((
        "nytt/index.html".into(),
        site.render("changes.html", &cx, "nytt/")?,
    )))
}

#[derive(Serialize)]
struct AboutView<'a> {
    title: &'a str,
    summary: &'a str,
    updated: Option<super::views::DateView>,
    body: &'a str,
}

/// The pages about the site (`content/om/`), each in its own language.
fn about_pages(site: &Site<'_>) -> Result<Vec<Page>> {
    site.loaded
        .about
        .iter()
        .zip(&site.about_html)
        .map(|(page, body)| {
            let path = page.path();
            let mut cx = base_context(site, page.language, &page.title, &path, "om");
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
            Ok((
                format!("{path}index.html"),
                site.render("about.html", &cx, &path)?,
            ))
        })
        .collect()
}

fn simple_page(site: &Site<'_>, path: &str, template: &str, title_key: &str) -> Result<Page> {
    let cx = base_context(
        site,
        site.lang,
        t(site, title_key),
        path,
        path.trim_end_matches('/'),
    );
    let file = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    Ok((file, site.render(template, &cx, path)?))
}
