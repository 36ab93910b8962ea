//! The Hugo twin of a synthetic site: the same records, words, taxonomies and paging as a Hugo
//! site, with templates close to Deling's, so `bench/build.sh` compares like with like.

use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::content::RecordKind;

/// The Hugo site's configuration and templates, kept as files beside this module.
const SITE_FILES: &[(&str, &str)] = &[
    ("config.toml", include_str!("hugo/config.toml")),
    (
        "layouts/_default/baseof.html",
        include_str!("hugo/layouts/_default/baseof.html"),
    ),
    (
        "layouts/_default/single.html",
        include_str!("hugo/layouts/_default/single.html"),
    ),
    (
        "layouts/_default/list.html",
        include_str!("hugo/layouts/_default/list.html"),
    ),
    (
        "layouts/_default/terms.html",
        include_str!("hugo/layouts/_default/terms.html"),
    ),
    (
        "layouts/index.html",
        include_str!("hugo/layouts/index.html"),
    ),
    (
        "layouts/partials/card.html",
        include_str!("hugo/layouts/partials/card.html"),
    ),
    (
        "layouts/partials/pager.html",
        include_str!("hugo/layouts/partials/pager.html"),
    ),
];

/// One synthetic record, as both sites show it.
pub struct TwinRecord<'a> {
    pub kind: RecordKind,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub date: &'a str,
    pub badge: &'a str,
    pub network: &'a str,
    /// Taxonomy name and values: service areas, solutions, municipalities, tags.
    pub taxonomies: &'a [(&'a str, &'a Vec<String>)],
    /// The record's other texts (problem, results, …) with their headings.
    pub sections: &'a [(&'a str, String)],
    pub body: &'a str,
    /// The record the body links to (kind and slug), at its "Bakgrunn" heading.
    pub link: Option<(RecordKind, &'a str)>,
}

pub struct HugoTwin {
    dir: PathBuf,
}

impl HugoTwin {
    /// Writes the site's configuration, templates, stylesheet and section pages to `dir`.
    pub fn new(dir: &Path, theme: &Path) -> Result<HugoTwin> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .with_context(|| format!("kunne ikke tømme {}", dir.display()))?;
        }
        for (path, text) in SITE_FILES {
            write(&dir.join(path), text)?;
        }
        let css = theme.join("static/css/deling.css");
        let css = std::fs::read(&css).with_context(|| format!("fant ikke {}", css.display()))?;
        std::fs::create_dir_all(dir.join("static/css"))?;
        std::fs::write(dir.join("static/css/deling.css"), css)?;
        for (kind, title) in [
            (RecordKind::Practice, "Erfaringer"),
            (RecordKind::Barrier, "Regelverkshindringer"),
            (RecordKind::Project, "Prosjekter"),
        ] {
            let index = dir.join("content").join(kind.folder()).join("_index.md");
            write(&index, &format!("+++\ntitle = \"{title}\"\n+++\n"))?;
        }
        Ok(HugoTwin {
            dir: dir.to_path_buf(),
        })
    }

    pub fn record(&mut self, record: &TwinRecord<'_>) -> Result<()> {
        let mut text = String::from("+++\n");
        let _ = writeln!(text, "title = \"{}\"", record.title);
        let _ = writeln!(text, "date = {}", record.date);
        let _ = writeln!(text, "summary = \"{}\"", record.summary);
        let _ = writeln!(text, "badge = \"{}\"", record.badge);
        let _ = writeln!(text, "networks = [\"{}\"]", record.network);
        for (name, values) in record.taxonomies {
            let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
            let _ = writeln!(text, "{name} = [{}]", quoted.join(", "));
        }
        text.push_str("+++\n\n");
        for (heading, section) in record.sections {
            let _ = writeln!(text, "## {heading}\n\n{section}\n");
        }
        text.push_str(record.body);
        if let Some((kind, slug)) = record.link {
            let _ = writeln!(
                text,
                "Se også [en beslektet post]({{{{< ref \"/{}/{slug}.md#bakgrunn\" >}}}}).",
                kind.folder()
            );
        }
        let path = self
            .dir
            .join("content")
            .join(record.kind.folder())
            .join(format!("{}.md", record.slug));
        write(&path, &text)
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::create_dir_all(path.parent().expect("files are in a folder"))?;
    std::fs::write(path, text).with_context(|| format!("kunne ikke skrive {}", path.display()))
}
