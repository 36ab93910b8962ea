//! Rendering: from a loaded, checked site to every output file, in memory.
//!
//! Markdown is rendered once per record (in parallel), internal links are checked against the
//! headings of their targets, and then every page is rendered with tera in parallel. The result
//! is a [`SiteFiles`] map; nothing here touches the output folder.

mod feeds;
mod opendata;
mod pages;
mod paginate;
pub mod search;
pub mod templates;
pub mod urls;
mod views;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use tera::Tera;

use crate::content::{Details, LoadedSite, Record, RecordKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::{Lang, Strings};
use crate::markdown::{self, LinkTargets, Rendered};
use crate::output::SiteFiles;
pub use urls::Urls;

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` from config.toml (`--base-url`, and `serve`).
    pub base_url: Option<String>,
    /// Include records marked `draft = true`.
    pub drafts: bool,
    /// Print how long each phase took (for profiling and benchmarks).
    pub timings: bool,
    /// Validate only (`deling check`): skip the search index and related records, which no
    /// content can make fail and which are most of the time on a large site.
    pub check_only: bool,
}

/// A record's Markdown, rendered: the body and the Markdown fields of its type.
#[derive(Debug, Clone, Default)]
pub struct RecordHtml {
    pub body: Rendered,
    pub fields: BTreeMap<&'static str, String>,
}

/// Everything page rendering needs, computed once.
pub struct Site<'a> {
    pub loaded: &'a LoadedSite,
    pub urls: Urls,
    pub strings: Strings,
    pub tera: Tera,
    /// Language of pages that are not one record's page.
    pub lang: Lang,
    /// Records that get pages, newest first.
    pub records: Vec<&'a Record>,
    /// Rendered Markdown, parallel to `records`.
    pub html: Vec<RecordHtml>,
    pub network_html: BTreeMap<String, String>,
    pub mentioned_municipalities: BTreeSet<String>,
    /// Root-relative URLs of theme assets, with a content hash so caches never go stale.
    pub assets: BTreeMap<String, String>,
    /// URLs of the search engine, index and labels, for the search page and header field.
    pub search_assets: search::SearchAssets,
    static_files: BTreeMap<String, Vec<u8>>,
}

/// Renders the whole site. Content problems go to `diagnostics`; `Err` means the theme or an
/// option is broken, which no contributor can fix from a content file.
pub fn render(
    loaded: &LoadedSite,
    options: &RenderOptions,
    diagnostics: &Diagnostics,
) -> Result<SiteFiles> {
    let mut clock = Clock::new(options.timings);
    let site = Site::new(loaded, options, diagnostics)?;
    clock.lap("markdown");
    let mut files = SiteFiles::default();
    for (path, bytes) in &site.static_files {
        files.insert(path.clone(), bytes.clone());
    }
    // The index comes first: record pages list related records found with it.
    let related = if options.check_only {
        vec![Vec::new(); site.records.len()]
    } else {
        search::write(&site, &mut files, &mut clock)?
    };
    for (path, bytes) in pages::all(&site, &related)? {
        files.insert(path, bytes);
    }
    clock.lap("pages");
    feeds::write(&site, &mut files)?;
    opendata::write(&site, &mut files)?;
    clock.lap("feeds_and_data");
    clock.report();
    Ok(files)
}

/// Phase durations for `build --timings`, printed as one `timings name=seconds …` line.
pub struct Clock {
    enabled: bool,
    last: std::time::Instant,
    laps: Vec<(&'static str, f64)>,
}

impl Clock {
    pub fn new(enabled: bool) -> Clock {
        Clock {
            enabled,
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    pub fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((name, (now - self.last).as_secs_f64()));
        self.last = now;
    }

    fn report(&self) {
        if self.enabled {
            let laps: Vec<String> = self
                .laps
                .iter()
                .map(|(n, s)| format!("{n}={s:.3}"))
                .collect();
            eprintln!("timings {}", laps.join(" "));
        }
    }
}

impl<'a> Site<'a> {
    fn new(
        loaded: &'a LoadedSite,
        options: &RenderOptions,
        diagnostics: &Diagnostics,
    ) -> Result<Site<'a>> {
        let config = &loaded.config;
        let urls = Urls::new(options.base_url.as_deref().unwrap_or(&config.base_url))?;
        let theme_dir = loaded.root.join("themes").join(&config.theme);
        if !theme_dir.is_dir() {
            anyhow::bail!(
                "fant ikke temaet {}: sjekk `theme` i config.toml",
                theme_dir.display()
            );
        }
        let strings = Strings::load(&theme_dir.join("i18n"))?;
        let tera = templates::load(&theme_dir.join("templates"), &loaded.root.join("templates"))?;
        let (static_files, assets) = load_static(&theme_dir.join("static"), &urls)?;

        // Markdown of every record, drafts included, so `check` finds problems in drafts too.
        let targets = LinkTargets {
            paths: &loaded.paths,
            root: urls.root(),
        };
        let rendered: Vec<(RecordHtml, Vec<Diagnostic>)> = loaded
            .records
            .par_iter()
            .map(|record| render_record(record, &targets))
            .collect();
        let mut network_html = BTreeMap::new();
        let mut anchors: BTreeMap<String, &[String]> = BTreeMap::new();
        let mut network_rendered = Vec::new();
        for network in loaded.networks.values() {
            let mut problems = Vec::new();
            let html = markdown::render(&network.body, 2, &network.file, &targets, &mut problems);
            diagnostics.extend(problems);
            network_rendered.push((network, html));
        }
        for (network, html) in &network_rendered {
            anchors.insert(content_relative(&network.file), &html.anchors);
        }
        for (record, (html, problems)) in loaded.records.iter().zip(&rendered) {
            diagnostics.extend(problems.iter().cloned());
            anchors.insert(content_relative(&record.file), &html.body.anchors);
        }
        let all_links = rendered
            .iter()
            .zip(&loaded.records)
            .map(|((html, _), record)| (&record.file, &html.body.links))
            .chain(
                network_rendered
                    .iter()
                    .map(|(n, html)| (&n.file, &html.links)),
            );
        for (file, links) in all_links {
            for link in links {
                // A target that failed to load has no anchors to check; its own errors say why.
                let Some(target_anchors) = anchors.get(&link.target) else {
                    continue;
                };
                if !target_anchors.contains(&link.anchor) {
                    let mut d = Diagnostic::error(
                        file,
                        link.pos,
                        format!("ankeret «#{}» finnes ikke i @/{}", link.anchor, link.target),
                    );
                    if !target_anchors.is_empty() {
                        d = d.with_help(format!(
                            "overskriftene der har ankrene {}",
                            crate::diagnostics::or_list(target_anchors)
                        ));
                    } else {
                        d = d.with_help("fjern #-delen, eller lenk til en overskrift som finnes");
                    }
                    diagnostics.push(d);
                }
            }
        }
        for (network, html) in network_rendered {
            network_html.insert(network.id.clone(), html.html);
        }

        let mut visible: Vec<(&Record, RecordHtml)> = loaded
            .records
            .iter()
            .zip(rendered)
            .filter(|(record, _)| options.drafts || !record.common.draft)
            .map(|(record, (html, _))| (record, html))
            .collect();
        visible.sort_by(|(a, _), (b, _)| newest_first(a, b));
        let (records, html): (Vec<_>, Vec<_>) = visible.into_iter().unzip();
        let mentioned_municipalities = records
            .iter()
            .flat_map(|r| r.common.municipalities.iter().cloned())
            .collect();

        let search_assets = search::SearchAssets {
            engine: urls.page(&search::engine_path()),
            index: urls.page(&format!("{}/", search::INDEX_DIR)),
            // Fetched with `cache: "no-cache"`, like the index manifest: they change with content.
            labels: urls.page(search::LABELS_PATH),
        };
        Ok(Site {
            search_assets,
            loaded,
            urls,
            strings,
            tera,
            lang: config.language(),
            records,
            html,
            network_html,
            mentioned_municipalities,
            assets,
            static_files,
        })
    }

    /// Records of one kind, newest first.
    pub fn of_kind(&self, kind: RecordKind) -> Vec<&'a Record> {
        self.records
            .iter()
            .copied()
            .filter(|r| r.kind == kind)
            .collect()
    }

    /// The records changed most recently (by `updated`, from front matter or Git), for "Nytt og
    /// endret", at most `feed_limit` of them.
    pub fn recently_changed(&self) -> Vec<&'a Record> {
        let mut records = self.records.clone();
        records.sort_by(|a, b| {
            b.common
                .last_changed()
                .cmp(&a.common.last_changed())
                .then_with(|| newest_first(a, b))
        });
        records.truncate(self.loaded.config.feed_limit);
        records
    }

    /// Records a network owns or shares, newest first.
    pub fn of_network(&self, id: &str) -> Vec<&'a Record> {
        self.records
            .iter()
            .copied()
            .filter(|r| r.common.networks.iter().any(|n| n == id))
            .collect()
    }

    /// Renders one template; a template error names the template and the page.
    pub fn render(&self, template: &str, context: &tera::Context, page: &str) -> Result<Vec<u8>> {
        self.tera
            .render(template, context)
            .map(String::into_bytes)
            .map_err(|e| anyhow::anyhow!(templates::describe(&e)))
            .with_context(|| format!("malen {template} kunne ikke vises for /{page}"))
    }
}

/// Newest first; the same day sorts alphabetically, so order never depends on file order.
pub fn newest_first(a: &Record, b: &Record) -> std::cmp::Ordering {
    b.common
        .published
        .cmp(&a.common.published)
        .then_with(|| crate::norwegian::compare(&a.common.title, &b.common.title))
        .then_with(|| a.id().cmp(&b.id()))
}

fn content_relative(file: &Path) -> String {
    file.strip_prefix(crate::content::CONTENT_DIR)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every Markdown text of a record sits under a section heading (`h2`) of its template.
fn render_record(record: &Record, targets: &LinkTargets<'_>) -> (RecordHtml, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut html = RecordHtml {
        body: markdown::render(&record.body, 3, &record.file, targets, &mut problems),
        ..Default::default()
    };
    let mut field = |key: &'static str, md: Option<&crate::content::Markdown>| {
        if let Some(md) = md {
            let rendered = markdown::render(md, 3, &record.file, targets, &mut problems);
            html.fields.insert(key, rendered.html);
        }
    };
    match &record.details {
        Details::Practice(p) => {
            field("problem", Some(&p.problem));
            field("results", p.results.as_ref());
            field("lessons", p.lessons.as_ref());
            field("reuse", p.reuse.as_ref());
        }
        Details::Barrier(b) => {
            field("consequence", Some(&b.consequence));
            field("proposed_change", Some(&b.proposed_change));
        }
        Details::Project(p) => {
            field("purpose", Some(&p.purpose));
            field("results", p.results.as_ref());
        }
    }
    (html, problems)
}

/// Copies the theme's static files and gives each a content-hashed URL (`?v=…`).
type StaticFiles = (BTreeMap<String, Vec<u8>>, BTreeMap<String, String>);

fn load_static(dir: &Path, urls: &Urls) -> Result<StaticFiles> {
    let mut files = BTreeMap::new();
    let mut assets = BTreeMap::new();
    if !dir.is_dir() {
        return Ok((files, assets));
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("kunne ikke lese {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry
            .path()
            .strip_prefix(dir)
            .expect("below dir")
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(entry.path())
            .with_context(|| format!("kunne ikke lese {}", entry.path().display()))?;
        let hash = Sha256::digest(&bytes);
        let short: String = hash.iter().take(5).map(|b| format!("{b:02x}")).collect();
        assets.insert(path.clone(), format!("{}?v={short}", urls.page(&path)));
        files.insert(path, bytes);
    }
    Ok((files, assets))
}
