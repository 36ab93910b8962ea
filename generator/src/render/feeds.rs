//! Atom feeds (everything, per type, per network, "Nytt og endret"), the sitemap and robots.txt.
//! Which feeds there are is the page plan's to say; a refresh writes no sitemap.

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use tera::Context;

use super::Site;
use super::plan::{Listing, PagePlan};
use crate::content::{Owner, Record};
use crate::output::SiteFiles;

#[derive(Serialize)]
pub(super) struct FeedView {
    pub title: String,
    /// Absolute URL of the feed itself.
    pub id: String,
    /// Absolute URL of the HTML page the feed follows.
    pub alternate: String,
    pub updated: String,
    pub lang: String,
    pub entries: Vec<EntryView>,
}

#[derive(Serialize)]
pub(super) struct EntryView {
    /// The entry's permanent id: the record's URL, or for one change of a record (its own
    /// feed) that URL with a fragment naming the change.
    pub id: String,
    pub title: String,
    pub url: String,
    pub published: String,
    pub updated: String,
    pub summary: String,
    pub author: String,
    pub category: String,
}

pub(super) fn timestamp(date: NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// The sitemap lists every HTML page of the plan; robots.txt points to it.
pub fn write_sitemap(site: &Site<'_>, plan: &PagePlan, files: &mut SiteFiles) -> Result<()> {
    sitemap(site, plan, files)?;
    files.insert(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            site.urls.absolute("sitemap.xml")
        ),
    );
    Ok(())
}

/// What an entry says of its record.
type Summary<'f> = &'f dyn Fn(&Record) -> String;

/// The Atom feed of a list: its first `feed_limit` records. `path` is the feed's own path.
pub fn feed(site: &Site<'_>, plan: &PagePlan, list: usize, path: &str) -> Result<Vec<u8>> {
    let config = &site.loaded.config;
    let of = &plan.lists[list];
    let records: Vec<&Record> = of.records.iter().map(|i| site.records[*i]).collect();
    let plain = |r: &Record| r.common.summary.clone();
    let describe = |r: &Record| {
        let mut notes = site.change_notes(r, site.lang);
        notes.push(r.common.summary.clone());
        notes.join(". ")
    };
    let (name, summary): (Option<&str>, Summary<'_>) = match &of.of {
        Listing::All => (None, &plain),
        Listing::Kind(kind) => (Some(site.strings.get(site.lang, kind.plural())), &plain),
        Listing::Network(id) => (Some(&site.loaded.networks[id].name), &plain),
        Listing::Changed => (
            Some(site.strings.get(site.lang, "changes_title")),
            &describe,
        ),
        of @ (Listing::ProjectsByPhase | Listing::Register(_) | Listing::Term(_)) => {
            unreachable!("the plan gives {of:?} no feed")
        }
    };
    let title = match name {
        Some(name) => format!("{} – {name}", config.title),
        None => config.title.clone(),
    };
    let shown: Vec<&Record> = plan
        .feed_records(list)
        .iter()
        .map(|i| site.records[*i])
        .collect();
    let entries: Vec<EntryView> = shown
        .iter()
        .map(|r| EntryView {
            id: site.urls.absolute(&r.path()),
            title: r.common.title.clone(),
            url: site.urls.absolute(&r.path()),
            published: timestamp(r.common.published),
            updated: timestamp(r.common.last_changed()),
            summary: summary(r),
            author: author(site, r),
            category: site.kind_label(r.kind, site.lang),
        })
        .collect();
    // The newest change among the entries, not the build time: output must be reproducible.
    let updated = records
        .iter()
        .map(|r| r.common.last_changed())
        .max()
        .unwrap_or(NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date"));
    let view = FeedView {
        title,
        id: site.urls.absolute(path),
        alternate: site.urls.absolute(&of.base),
        updated: timestamp(updated),
        lang: site.lang.code().to_string(),
        entries,
    };
    let mut cx = Context::new();
    cx.insert("feed", &view);
    site.render("atom.xml", &cx, path)
}

/// Who an entry names as its author: the owning network, or KS for national records.
pub(super) fn author(site: &Site<'_>, record: &Record) -> String {
    match &record.owner {
        Owner::Network(id) => site.loaded.networks[id].name.clone(),
        Owner::National => "KS".into(),
    }
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

fn sitemap(site: &Site<'_>, plan: &PagePlan, files: &mut SiteFiles) -> Result<()> {
    let dates: std::collections::BTreeMap<String, NaiveDate> = site
        .records
        .iter()
        .map(|r| (format!("{}index.html", r.path()), r.common.last_changed()))
        .collect();
    // In path order, as the files are in the site: the pages are the planned ones that are
    // HTML in a folder (nothing else writes an `index.html`).
    let pages: std::collections::BTreeSet<String> = plan
        .pages
        .iter()
        .map(|p| p.file())
        .filter(|p| p.ends_with("index.html"))
        .collect();
    let entries: Vec<SitemapEntry> = pages
        .iter()
        .map(|p| SitemapEntry {
            loc: site.urls.absolute(p.trim_end_matches("index.html")),
            lastmod: dates.get(p).map(NaiveDate::to_string),
        })
        .collect();
    let mut cx = Context::new();
    cx.insert("entries", &entries);
    files.insert(
        "sitemap.xml",
        site.render("sitemap.xml", &cx, "sitemap.xml")?,
    );
    Ok(())
}
