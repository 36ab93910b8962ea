//! Site configuration from `config.toml` at the site root.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::Path;

use crate::content::source::links_below;
use crate::i18n::Lang;

/// Where themes live, each in a folder named by `theme`.
pub const THEMES_DIR: &str = "themes";
/// A site's own templates, overriding the theme's by name.
pub const TEMPLATES_DIR: &str = "templates";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The published address, e.g. `https://ks-no.github.io/deling/`. A path is allowed and is
    /// honoured by every link and asset.
    pub base_url: String,
    pub title: String,
    pub description: String,
    /// Interface language of pages that are not one record's page.
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Records per page in paginated lists.
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// Entries per Atom feed.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// The repository on GitHub, for "edit this page" links.
    #[serde(default)]
    pub repository: Option<String>,
    /// KS's reviewers (GitHub teams or users), owners of everything in CODEOWNERS. When set,
    /// `deling check` requires `.github/CODEOWNERS` to match the networks' reviewers.
    #[serde(default)]
    pub reviewers: Vec<String>,
}

fn default_language() -> String {
    "nb".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_paginate_by() -> usize {
    20
}
fn default_feed_limit() -> usize {
    50
}

impl Config {
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join("config.toml");
        refuse_links(root, &[Path::new("config.toml")])?;
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "fant ikke {}: kjør kommandoen i mappen med config.toml, eller oppgi den med --root",
                path.display()
            )
        })?;
        let config =
            Config::parse(&text).with_context(|| format!("{} er ikke gyldig", path.display()))?;
        // The theme and the site's templates are read before any content is rendered; a link
        // there would let the build read (and publish) files from outside the repository.
        refuse_links(
            root,
            &[
                &Path::new(THEMES_DIR).join(&config.theme),
                Path::new(TEMPLATES_DIR),
            ],
        )?;
        Ok(config)
    }

    /// Parses and checks a `config.toml` text (from disk, or from a Git revision).
    pub fn parse(text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text)?;
        if Lang::parse(&config.language).is_none() {
            bail!(
                "config.toml: language må være «nb», «nn» eller «en», ikke «{}»",
                config.language
            );
        }
        if !is_folder_name(&config.theme) {
            bail!(
                "config.toml: theme må være navnet på en mappe i themes/ (bokstaver a–z, tall, - og _), ikke «{}»",
                config.theme
            );
        }
        if config.paginate_by == 0 {
            bail!("config.toml: paginate_by må være minst 1");
        }
        Ok(config)
    }

    pub fn language(&self) -> Lang {
        Lang::parse(&self.language).expect("checked in Config::load")
    }
}

/// A theme is named by one folder in `themes/`: no `/`, no `..`, so it cannot point elsewhere.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Refuses symbolic links at or below these paths, all of them named in one message.
fn refuse_links(root: &Path, paths: &[&Path]) -> Result<()> {
    let links: Vec<String> = paths
        .iter()
        .flat_map(|p| links_below(root, p))
        .map(|(link, target)| format!("{} (peker til «{}»)", link.display(), target.display()))
        .collect();
    if !links.is_empty() {
        bail!(
            "symbolske lenker leses ikke: {}; legg vanlige filer med innholdet der i stedet, så nettstedet bygges bare av filer som ligger i repositoriet",
            links.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        "base_url = \"https://example.org/\"\ntitle = \"x\"\ndescription = \"x\"\n";

    #[test]
    fn a_theme_is_one_folder_name() {
        assert!(Config::parse(MINIMAL).is_ok());
        assert!(Config::parse(&format!("{MINIMAL}theme = \"min-tema_2\"\n")).is_ok());
        for bad in ["../../etc", "..", "a/b", "a\\\\b", "/etc", "", ".skjult"] {
            let error = Config::parse(&format!("{MINIMAL}theme = \"{bad}\"\n"))
                .expect_err(bad)
                .to_string();
            assert!(
                error.contains("theme må være navnet på en mappe"),
                "{error}"
            );
        }
    }
}
