//! Atom feeds (everything, per type, per network), the sitemap and robots.txt. A refresh
//! (`deling serve`) writes only the feeds that show the changed record, and no sitemap.

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use tera::Context;

use super::Site;
use crate::content::{Owner, Record, RecordKind};
use crate::output::SiteFiles;

#[derive(Serialize)]
struct FeedView {
    title: String,
    /// Absolute URL of the feed itself.
    id: String,
    /// Absolute URL of the HTML page the feed follows.
    alternate: String,
    updated: String,
    lang: String,
    entries: Vec<EntryView>,
}

#[derive(Serialize)]
struct EntryView {
    title: String,
    url: String,
    published: String,
    updated: String,
    summary: String,
    author: String,
    category: String,
}

fn timestamp(date: NaiveDate) -> String {
    format!("{}T00:00:00Z", date.format("%Y-%m-%d"))
}

pub fn write(site: &Site<'_>, files: &mut SiteFiles) -> Result<()> {
    let plain = |r: &Record| r.common.summary.clone();
    let everything: Vec<&Record> = site.records.clone();
    feed(
        site,
        files,
        "atom.xml",
        "",
        &site.loaded.config.title,
        &everything,
        &plain,
    )?;
    for kind in RecordKind::ALL {
        let records = site.of_kind(kind);
        let title = format!(
            "{} – {}",
            site.loaded.config.title,
            site.strings.get(site.lang, &format!("{}s", kind.id()))
        );
        feed(
            site,
            files,
            &format!("{}/atom.xml", kind.folder()),
            &format!("{}/", kind.folder()),
            &title,
            &records,
            &plain,
        )?;
    }
    for (id, network) in &site.loaded.networks {
        let records = site.of_network(id);
        let title = format!("{} – {}", site.loaded.config.title, network.name);
        feed(
            site,
            files,
            &format!("{}atom.xml", network.path()),
            &network.path(),
            &title,
            &records,
            &plain,
        )?;
    }
    let changed = site.recently_changed();
    let describe = |r: &Record| {
        let mut notes = site.change_notes(r, site.lang);
        notes.push(r.common.summary.clone());
        notes.join(". ")
    };
    let title = format!(
        "{} – {}",
        site.loaded.config.title,
        site.strings.get(site.lang, "changes_title")
    );
    feed(
        site,
        files,
        "nytt/atom.xml",
        "nytt/",
        &title,
        &changed,
        &describe,
    )?;
    Ok(())
}

/// The sitemap lists every page written so far, so it comes last; robots.txt points to it.
pub fn write_sitemap(site: &Site<'_>, files: &mut SiteFiles) -> Result<()> {
    sitemap(site, files)?;
    files.insert(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            site.urls.absolute("sitemap.xml")
        ),
    );
    Ok(())
}

fn feed(
    site: &Site<'_>,
    files: &mut SiteFiles,
    path: &str,
    page: &str,
    title: &str,
    records: &[&Record],
    summary: &dyn Fn(&Record) -> String,
) -> Result<()> {
    let limit = site.loaded.config.feed_limit;
    let shown = &records[..records.len().min(limit)];
    if !site.renders(shown) {
        return Ok(());
    }
    let entries: Vec<EntryView> = shown
        .iter()
        .map(|r| EntryView {
            title: r.common.title.clone(),
            url: site.urls.absolute(&r.path()),
            published: timestamp(r.common.published),
            updated: timestamp(r.common.last_changed()),
            summary: summary(r),
            author: match &r.owner {
                Owner::Network(id) => site.loaded.networks[id].name.clone(),
                Owner::National => "KS".into(),
            },
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
        title: title.to_string(),
        id: site.urls.absolute(path),
        alternate: site.urls.absolute(page),
        updated: timestamp(updated),
        lang: site.lang.code().to_string(),
        entries,
    };
    let mut cx = Context::new();
    cx.insert("feed", &view);
    files.insert(path, site.render("atom.xml", &cx, path)?);
    Ok(())
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

fn sitemap(site: &Site<'_>, files: &mut SiteFiles) -> Result<()> {
    let dates: std::collections::BTreeMap<String, NaiveDate> = site
        .records
        .iter()
        .map(|r| (format!("{}index.html", r.path()), r.common.last_changed()))
        .collect();
    let entries: Vec<SitemapEntry> = files
        .paths()
        .filter(|p| p.ends_with("index.html"))
        .map(|p| SitemapEntry {
            loc: site.urls.absolute(p.trim_end_matches("index.html")),
            lastmod: dates.get(p).map(|d| d.format("%Y-%m-%d").to_string()),
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
