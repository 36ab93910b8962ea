//! `.github/CODEOWNERS` from the `reviewers` of each network (and KS's, from `config.toml`), so
//! a network's reviewers approve changes in its folder. Generated, never edited by hand;
//! `deling check` reports a file that no longer matches the networks.

use anyhow::Context;
use std::path::Path;

use crate::content::{CONTENT_DIR, LoadedSite, NATIONAL_DIR, NETWORKS_DIR};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::files::source::refuse_writing_through_links;

pub const CODEOWNERS: &str = ".github/CODEOWNERS";

/// The file's text. Later lines win in CODEOWNERS, so the catch-all comes first.
pub fn render(site: &LoadedSite) -> String {
    let ks = site.config.reviewers.join(" ");
    let mut out = String::from(
        "# Generert av «deling codeowners» fra feltet `reviewers` i hvert nettverks index.md\n\
         # og `reviewers` i config.toml. Ikke rediger for hånd: kjør «deling codeowners».\n\n",
    );
    out.push_str(&format!("{:<48} {ks}\n", "*"));
    out.push_str(&format!(
        "{:<48} {ks}\n",
        format!("/{CONTENT_DIR}/{NATIONAL_DIR}/")
    ));
    for network in site.networks.values() {
        let owners: Vec<&str> = network
            .reviewers
            .iter()
            .map(String::as_str)
            .chain(site.config.reviewers.iter().map(String::as_str))
            .collect();
        out.push_str(&format!(
            "{:<48} {}\n",
            format!("/{CONTENT_DIR}/{NETWORKS_DIR}/{}/", network.id),
            owners.join(" ")
        ));
    }
    out
}

/// A site whose `config.toml` names KS's reviewers keeps its CODEOWNERS in step.
pub fn check(site: &LoadedSite, diagnostics: &Diagnostics) {
    if site.config.reviewers.is_empty() {
        return;
    }
    let expected = render(site);
    let actual = std::fs::read_to_string(site.root.join(CODEOWNERS)).unwrap_or_default();
    if actual != expected {
        diagnostics.push(
            Diagnostic::error(
                Path::new(CODEOWNERS),
                Pos::START,
                "CODEOWNERS stemmer ikke med `reviewers` i nettverkene",
            )
            .with_help("kjør «deling codeowners» og ta med den oppdaterte filen i endringen"),
        );
    }
}

/// What `deling codeowners` did.
pub enum Outcome {
    /// The file was written, with a line for each of this many networks.
    Written { networks: usize },
    /// Loading the content reported errors; nothing was written, since a network that failed to
    /// load would lose its owners.
    Failed { problems: Vec<Diagnostic> },
}

/// `deling codeowners`: loads the content and writes the file, unless loading reported errors.
pub fn run(root: &Path) -> anyhow::Result<Outcome> {
    let config = crate::config::Config::load(root)?;
    let diagnostics = Diagnostics::new();
    let loaded = crate::content::load(root, config, &diagnostics)?;
    if diagnostics.has_errors() {
        return Ok(Outcome::Failed {
            problems: diagnostics.into_sorted(),
        });
    }
    write(&loaded)?;
    Ok(Outcome::Written {
        networks: loaded.networks.len(),
    })
}

pub fn write(site: &LoadedSite) -> anyhow::Result<()> {
    refuse_writing_through_links(&site.root, Path::new(CODEOWNERS))?;
    let path = site.root.join(CODEOWNERS);
    std::fs::create_dir_all(path.parent().expect("has a parent"))?;
    std::fs::write(&path, render(site))
        .with_context(|| format!("kunne ikke skrive {}", path.display()))
}
