//! Loading the content repository: reference data, networks, then records.
//!
//! The folder a file lives in decides what it is: `nettverk/<id>/index.md` is a network,
//! `nettverk/<id>/<erfaringer|hindringer|prosjekter>/<slug>.md` a record owned by that network,
//! and `nasjonalt/<…>/<slug>.md` a national record. So a network can own its folder in
//! CODEOWNERS, and `deling new` knows where to write. `om/<slug>.md` is a page about the site
//! itself, such as the accessibility statement.

pub mod contact;
pub mod field_names;
pub mod fields;
pub mod frontmatter;
pub mod model;
pub mod parse;
pub mod vocab;

use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::files::{names, source};
use crate::media::{self, MediaFiles};
use crate::reference::ReferenceData;
pub use model::*;

pub use crate::paths::{
    ABOUT_DIR, ACCESSIBILITY_STATEMENT, CONTENT_DIR, NATIONAL_DIR, NETWORKS_DIR,
};

/// Everything read from disk, typed and checked field by field.
#[derive(Debug)]
pub struct LoadedSite {
    pub root: PathBuf,
    pub config: Config,
    pub reference: ReferenceData,
    pub networks: BTreeMap<String, Network>,
    /// Sorted by kind, then slug.
    pub records: Vec<Record>,
    /// Pages about the site, sorted by slug.
    pub about: Vec<AboutPage>,
    /// Site path of every record file by its path relative to `content/`, including files that
    /// failed to parse, so a link to a broken file is not reported twice.
    pub paths: BTreeMap<String, String>,
    /// The images and documents in records' folders, by record file.
    pub media: MediaFiles,
}

/// A content file and what its place says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Network {
        id: String,
    },
    Record {
        kind: RecordKind,
        slug: String,
        owner: Owner,
    },
    About {
        slug: String,
    },
    /// An image or document in a record's folder: `<kind>/<slug>/<file>` beside `<slug>.md`.
    Attachment {
        /// The record file it belongs to, relative to `content/`.
        record: PathBuf,
    },
}

impl Place {
    /// Classifies a path relative to `content/`. `Err` carries a message for misplaced files.
    pub fn of(relative: &Path) -> Result<Option<Place>, String> {
        let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
        let file_name = parts.last().copied().unwrap_or_default();
        if !file_name.ends_with(".md") {
            return attachment_place(&parts);
        }
        if file_name.eq_ignore_ascii_case("README.md") {
            return Ok(None);
        }
        let slug = file_name.strip_suffix(".md").unwrap_or(file_name);
        match parts.as_slice() {
            [NETWORKS_DIR, id, "index.md"] => Ok(Some(Place::Network { id: id.to_string() })),
            [NETWORKS_DIR, id, folder, _] => {
                record_place(folder, slug, Owner::Network(id.to_string()))
            }
            [NATIONAL_DIR, folder, _] => record_place(folder, slug, Owner::National),
            [ABOUT_DIR, _] => Ok(Some(Place::About {
                slug: slug.to_string(),
            })),
            _ => Err(format!(
                "filen ligger et sted generatoren ikke leser; legg den i content/{NETWORKS_DIR}/<nettverk>/<erfaringer|hindringer|prosjekter>/, content/{NATIONAL_DIR}/<erfaringer|hindringer|prosjekter>/ eller content/{ABOUT_DIR}/ (sider om nettstedet)"
            )),
        }
    }
}

/// A file that is not Markdown: reference data and hidden files are not the loader's; in the
/// folders of networks, national records and about pages it must be in a record's folder.
fn attachment_place(parts: &[&str]) -> Result<Option<Place>, String> {
    let record = |dir: &[&str], folder: &str, slug: &str| {
        RecordKind::from_folder(folder).map(|_| {
            let mut path: PathBuf = dir.iter().collect();
            path.push(format!("{slug}.md"));
            Place::Attachment { record: path }
        })
    };
    let hidden = parts.last().is_some_and(|name| name.starts_with('.'));
    let found = match parts {
        [NETWORKS_DIR, id, folder, slug, _] => record(&[NETWORKS_DIR, id, folder], folder, slug),
        [NATIONAL_DIR, folder, slug, _] => record(&[NATIONAL_DIR, folder], folder, slug),
        _ => None,
    };
    match (found, parts.first().copied()) {
        (Some(place), _) => Ok(Some(place)),
        (None, Some(NETWORKS_DIR | NATIONAL_DIR | ABOUT_DIR)) if !hidden => Err(
            "bilder og dokumenter ligger i mappen til posten de hører til: en mappe med samme navn som postens fil, uten .md (for eksempel erfaringer/min-erfaring/ ved siden av erfaringer/min-erfaring.md)".to_string(),
        ),
        _ => Ok(None),
    }
}

fn record_place(folder: &str, slug: &str, owner: Owner) -> Result<Option<Place>, String> {
    let kind = RecordKind::from_folder(folder).ok_or_else(|| {
        format!("mappen «{folder}» er ukjent; poster ligger i mappene «erfaringer», «hindringer» eller «prosjekter»")
    })?;
    Ok(Some(Place::Record {
        kind,
        slug: slug.to_string(),
        owner,
    }))
}

/// Checks the names that become addresses. A name already reported by [`names::check`] (one of
/// two that differ only in case) is not reported again: its advice is the better one, and this
/// rule's ("use small letters") would name the file it clashes with.
struct NameRule<'a> {
    reported: &'a BTreeSet<PathBuf>,
    problems: &'a Diagnostics,
}

impl NameRule<'_> {
    /// A slug must be usable as-is in a URL, so the address is predictable from the file name.
    /// `false` (with the problem reported) means the page must not be rendered: a name such as
    /// `...md` would otherwise become the path `erfaringer/../`.
    fn slug(&self, file: &Path, slug: &str) -> bool {
        self.check(file, file, slug, false)
    }

    /// A network's id is its folder's name, and is in its addresses like a record's slug.
    fn folder(&self, file: &Path, id: &str) -> bool {
        let folder = file.parent().unwrap_or(file);
        self.check(file, folder, id, true)
    }

    fn check(&self, file: &Path, named: &Path, slug: &str, folder: bool) -> bool {
        let valid = names::is_slug(slug);
        if !valid && !self.reported.contains(named) {
            report_name(file, slug, folder, self.problems);
        }
        valid
    }
}

fn report_name(file: &Path, slug: &str, folder: bool, problems: &Diagnostics) {
    const RULE: &str = "bare små bokstaver a–z, tall og bindestrek";
    let (name, what, suffix) = if folder {
        ("mappenavnet", "mappen", "")
    } else {
        ("filnavnet", "filen", ".md")
    };
    let message = format!("{name} «{slug}{suffix}» kan ikke brukes i en nettadresse");
    // A name with no letters or digits (`...md`) has no better form to suggest.
    let better = crate::norwegian::slugify(slug);
    let help = if better.is_empty() {
        format!("gi {what} et navn med {RULE}, for eksempel etter tittelen")
    } else {
        format!("gi {what} navnet «{better}{suffix}»: {RULE}")
    };
    problems.push(Diagnostic::error(file, Pos::START, message).with_help(help));
}

/// Reads the whole content repository. Problems go into `diagnostics`; what parsed is returned
/// so that later phases can find further problems in the same run.
pub fn load(root: &Path, config: Config, diagnostics: &Diagnostics) -> Result<LoadedSite> {
    load_from(&source::Disk(root), root, config, diagnostics)
}

/// Loads content from any [`source::Source`]; `root` is where themes and templates live.
pub fn load_from(
    source: &dyn source::Source,
    root: &Path,
    config: Config,
    diagnostics: &Diagnostics,
) -> Result<LoadedSite> {
    let reference = ReferenceData::load(source, diagnostics);
    let entries = source.content_entries()?;
    let reported = names::check(&entries, diagnostics);
    let names = NameRule {
        reported: &reported,
        problems: diagnostics,
    };
    let (files, candidates) = places(entries, &reported, diagnostics);
    let record_files = files
        .iter()
        .filter(|(_, place)| matches!(place, Place::Record { .. }))
        .map(|(file, _)| file.clone())
        .collect();
    let media = media::load(source, &candidates, &record_files, diagnostics);
    let read = |file: &Path| read_text(source, file, diagnostics);
    let networks = load_networks(&files, &read, &names, &reference, diagnostics);
    let cx = parse::Context {
        reference: &reference,
        networks: &networks,
    };
    let mut records = load_records(&files, &read, &names, &cx, diagnostics);
    records.sort_by(|a, b| (a.kind, &a.slug, &a.file).cmp(&(b.kind, &b.slug, &b.file)));
    report_duplicate_slugs(&records, diagnostics);
    let about = load_about_pages(&files, &read, &names, diagnostics);
    let paths = site_paths(&files, &networks);
    Ok(LoadedSite {
        root: root.to_path_buf(),
        config,
        reference,
        networks,
        records,
        about,
        paths,
        media,
    })
}

/// Each content file with what its place says it is, and the files in records' folders;
/// misplaced files are reported.
fn places(
    entries: Vec<source::Entry>,
    reported: &BTreeSet<PathBuf>,
    diagnostics: &Diagnostics,
) -> (Vec<(PathBuf, Place)>, Vec<media::Candidate>) {
    let mut files = Vec::new();
    let mut candidates = Vec::new();
    for entry in entries {
        if entry.kind != source::EntryKind::File {
            continue;
        }
        let file = entry.path;
        let relative = file
            .strip_prefix(CONTENT_DIR)
            .expect("content files are below content/");
        match Place::of(relative) {
            Ok(Some(Place::Attachment { record })) => candidates.push(media::Candidate {
                record: PathBuf::from(CONTENT_DIR).join(record),
                file,
            }),
            Ok(Some(place)) => files.push((file, place)),
            Ok(None) => {}
            // A name already reported (a device name, a case clash) is not reported twice.
            Err(_) if reported.contains(&file) => {}
            Err(message) => diagnostics.push(Diagnostic::error(&file, Pos::START, message)),
        }
    }
    (files, candidates)
}

fn load_networks(
    files: &[(PathBuf, Place)],
    read: &(dyn Fn(&Path) -> Option<String> + Sync),
    names: &NameRule<'_>,
    reference: &ReferenceData,
    diagnostics: &Diagnostics,
) -> BTreeMap<String, Network> {
    let mut networks = BTreeMap::new();
    for (file, place) in files {
        if let Place::Network { id } = place {
            // Kept even with a bad name (a folder cannot be called `..`), so that its records
            // do not each report a missing network as well.
            names.folder(file, id);
            let mut problems = Vec::new();
            if let Some(network) = read(file)
                .and_then(|text| parse::network(id, file, &text, reference, &mut problems))
            {
                networks.insert(id.clone(), network);
            }
            diagnostics.extend(problems);
        }
    }
    networks
}

/// Every record file, parsed in parallel. A record of a network that failed to load is
/// checked, but not kept: every later phase may then rely on a record's network being there.
fn load_records(
    files: &[(PathBuf, Place)],
    read: &(dyn Fn(&Path) -> Option<String> + Sync),
    names: &NameRule<'_>,
    cx: &parse::Context<'_>,
    diagnostics: &Diagnostics,
) -> Vec<Record> {
    let network_files: BTreeSet<&String> = files
        .iter()
        .filter_map(|(_, place)| match place {
            Place::Network { id } => Some(id),
            _ => None,
        })
        .collect();
    files
        .par_iter()
        .filter_map(|(file, place)| {
            let Place::Record { kind, slug, owner } = place else {
                return None;
            };
            let mut renderable = names.slug(file, slug);
            if let Owner::Network(id) = owner
                && !cx.networks.contains_key(id)
            {
                renderable = false;
                // A network whose index.md failed reports that itself, once.
                if !network_files.contains(id) {
                    diagnostics.push(
                        Diagnostic::error(file, Pos::START, format!("nettverksmappen «{id}» har ingen index.md"))
                            .with_help(format!("legg til content/{NETWORKS_DIR}/{id}/index.md, eller flytt filen til et nettverk som finnes")),
                    );
                }
            }
            let mut problems = Vec::new();
            let record = read(file).and_then(|text| {
                parse::record(*kind, slug, owner.clone(), file, &text, cx, &mut problems)
            });
            diagnostics.extend(problems);
            // Parsed even so, so that all of the file's problems are reported at once.
            record.filter(|_| renderable)
        })
        .collect()
}

/// The site path of every record, network and about file, by its path below `content/`.
fn site_paths(
    files: &[(PathBuf, Place)],
    networks: &BTreeMap<String, Network>,
) -> BTreeMap<String, String> {
    let relative = crate::paths::content_relative;
    let records = files.iter().filter_map(|(file, place)| match place {
        Place::Record { kind, slug, .. } => {
            Some((relative(file), format!("{}/{}/", kind.folder(), slug)))
        }
        _ => None,
    });
    let networks = networks
        .values()
        .map(|n| (format!("{NETWORKS_DIR}/{}/index.md", n.id), n.path()));
    let about = files.iter().filter_map(|(_, place)| match place {
        Place::About { slug } => Some((format!("{ABOUT_DIR}/{slug}.md"), AboutPage::path_of(slug))),
        _ => None,
    });
    records.chain(networks).chain(about).collect()
}

/// The pages of `content/om/`. A site without an accessibility statement gets a warning: the
/// law requires one, but a fresh or test site should still build.
fn load_about_pages(
    files: &[(PathBuf, Place)],
    read: &dyn Fn(&Path) -> Option<String>,
    names: &NameRule<'_>,
    diagnostics: &Diagnostics,
) -> Vec<AboutPage> {
    let mut pages = Vec::new();
    for (file, place) in files {
        if let Place::About { slug } = place {
            let renderable = names.slug(file, slug);
            let mut problems = Vec::new();
            let page = read(file).and_then(|text| parse::about(slug, file, &text, &mut problems));
            pages.extend(page.filter(|_| renderable));
            diagnostics.extend(problems);
        }
    }
    let has_statement = files.iter().any(
        |(_, place)| matches!(place, Place::About { slug } if slug == ACCESSIBILITY_STATEMENT),
    );
    if !has_statement {
        let file = PathBuf::from(CONTENT_DIR)
            .join(ABOUT_DIR)
            .join(format!("{ACCESSIBILITY_STATEMENT}.md"));
        diagnostics.push(
            Diagnostic::warning(&file, Pos::START, "nettstedet har ingen tilgjengelighetserklæring")
                .with_help("offentlige nettsteder skal ha en (se uustatus.no); skriv den i denne filen, med title, summary og updated"),
        );
    }
    pages
}

/// A content file's text; `None`, with the reason in `diagnostics`, if it cannot be read or is
/// not UTF-8.
fn read_text(
    source: &dyn source::Source,
    file: &Path,
    diagnostics: &Diagnostics,
) -> Option<String> {
    source::read_text(source, file, "filen")
        .map_err(|problem| diagnostics.push(problem))
        .ok()
}

/// Reads one record file of a loaded site again (`deling serve`, after it was saved), checked
/// as a full load would check it. `None` if it is not a record file or no longer parses; the
/// reasons are in `diagnostics`.
pub fn reload_record(site: &LoadedSite, file: &Path, diagnostics: &Diagnostics) -> Option<Record> {
    let relative = file.strip_prefix(CONTENT_DIR).ok()?;
    let Ok(Some(Place::Record { kind, slug, owner })) = Place::of(relative) else {
        return None;
    };
    let text = read_text(&source::Disk(&site.root), file, diagnostics)?;
    let cx = parse::Context {
        reference: &site.reference,
        networks: &site.networks,
    };
    let mut problems = Vec::new();
    let record = parse::record(kind, &slug, owner, file, &text, &cx, &mut problems);
    let failed = problems.iter().any(Diagnostic::is_error);
    diagnostics.extend(problems);
    record.filter(|_| !failed)
}

fn report_duplicate_slugs(records: &[Record], diagnostics: &Diagnostics) {
    for pair in records.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.kind == b.kind && a.slug == b.slug {
            for (this, other) in [(a, b), (b, a)] {
                diagnostics.push(
                    Diagnostic::error(&this.file, Pos::START, format!("adressen /{} brukes også av {}", this.path(), other.file.display()))
                        .with_help("to poster av samme type kan ikke ha samme filnavn; gi en av filene et annet navn"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_follow_folders() {
        assert_eq!(
            Place::of(Path::new("nettverk/digi-agder/erfaringer/x.md")),
            Ok(Some(Place::Record {
                kind: RecordKind::Practice,
                slug: "x".into(),
                owner: Owner::Network("digi-agder".into())
            }))
        );
        assert_eq!(
            Place::of(Path::new("nasjonalt/hindringer/y.md")),
            Ok(Some(Place::Record {
                kind: RecordKind::Barrier,
                slug: "y".into(),
                owner: Owner::National
            }))
        );
        assert_eq!(
            Place::of(Path::new("nettverk/digi-agder/index.md")),
            Ok(Some(Place::Network {
                id: "digi-agder".into()
            }))
        );
        assert_eq!(Place::of(Path::new("README.md")), Ok(None));
        assert_eq!(Place::of(Path::new("referanse/kommuner.csv")), Ok(None));
        assert!(Place::of(Path::new("nettverk/digi-agder/notater/z.md")).is_err());
        assert!(Place::of(Path::new("løs.md")).is_err());
        assert_eq!(
            Place::of(Path::new("nasjonalt/erfaringer/y/bilde.png")),
            Ok(Some(Place::Attachment {
                record: PathBuf::from("nasjonalt/erfaringer/y.md")
            }))
        );
        assert!(Place::of(Path::new("nettverk/digi-agder/erfaringer/bilde.png")).is_err());
        assert!(Place::of(Path::new("nettverk/digi-agder/erfaringer/x/y/bilde.png")).is_err());
        assert_eq!(
            Place::of(Path::new("nettverk/digi-agder/.gitkeep")),
            Ok(None)
        );
    }
}
