//! Site configuration from `config.toml` at the site root.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::Path;

use crate::i18n::Lang;

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
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "fant ikke {}: kjør kommandoen i mappen med config.toml, eller oppgi den med --root",
                path.display()
            )
        })?;
        Config::parse(&text).with_context(|| format!("{} er ikke gyldig", path.display()))
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
        if config.paginate_by == 0 {
            bail!("config.toml: paginate_by må være minst 1");
        }
        Ok(config)
    }

    pub fn language(&self) -> Lang {
        Lang::parse(&self.language).expect("checked in Config::load")
    }
}
