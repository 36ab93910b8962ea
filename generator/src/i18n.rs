//! Interface languages and the theme's interface strings (`themes/<theme>/i18n/<lang>.toml`).
//!
//! Content is Bokmål or Nynorsk; the interface exists in nb, nn and en. A page is rendered in the
//! language of what it shows, so a Nynorsk record gets a Nynorsk page, labels included.

use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Bokmål, the site's language unless `config.toml` says otherwise.
    #[default]
    Nb,
    Nn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Nb, Lang::Nn, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::Nn => "nn",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Keys the generator itself asks for (templates may use more). A theme without one of these
/// is refused when it is loaded, rather than failing halfway through a build.
const REQUIRED: &[&str] = &[
    "practice",
    "barrier",
    "project",
    "practices",
    "barriers",
    "projects",
    "practices_intro",
    "barriers_intro",
    "projects_intro",
    "networks",
    "page",
    "search_title",
    "data_title",
    "not_found_title",
    "changes_title",
    "tjenesteomrader_title",
    "tjenesteomrader_intro",
    "losninger_title",
    "losninger_intro",
    "kommuner_title",
    "kommuner_intro",
    "emneord_title",
    "emneord_intro",
    "municipality_number",
    "status",
    "phase",
    "maturity",
];

/// Interface strings per language. Every language file must define the same keys as `nb.toml`,
/// so a missing translation is caught at build time rather than shown as a blank label.
#[derive(Debug, Clone)]
pub struct Strings {
    by_lang: BTreeMap<Lang, BTreeMap<String, String>>,
}

impl Strings {
    pub fn load(dir: &Path) -> Result<Strings> {
        let mut by_lang = BTreeMap::new();
        for lang in Lang::ALL {
            let path = dir.join(format!("{}.toml", lang.code()));
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("kunne ikke lese språkfilen {}", path.display()))?;
            let table: BTreeMap<String, String> = toml::from_str(&text).with_context(|| {
                format!(
                    "språkfilen {} er ikke gyldig TOML med tekstverdier",
                    path.display()
                )
            })?;
            by_lang.insert(lang, table);
        }
        let reference = &by_lang[&Lang::Nb];
        let absent: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|k| !reference.contains_key(*k))
            .collect();
        if !absent.is_empty() {
            bail!(
                "språkfilen {}/nb.toml mangler grensesnittekster som deling bruker: {}; temaet er trolig eldre enn deling",
                dir.display(),
                absent.join(", ")
            );
        }
        for (lang, table) in &by_lang {
            let missing: Vec<&String> = reference
                .keys()
                .filter(|k| !table.contains_key(*k))
                .collect();
            if !missing.is_empty() {
                bail!(
                    "språkfilen {}/{}.toml mangler {} nøkler som finnes i nb.toml: {:?}",
                    dir.display(),
                    lang.code(),
                    missing.len(),
                    missing
                );
            }
        }
        Ok(Strings { by_lang })
    }

    pub fn table(&self, lang: Lang) -> &BTreeMap<String, String> {
        &self.by_lang[&lang]
    }

    /// One string, for text the generator itself writes (feed titles, page titles).
    pub fn get(&self, lang: Lang, key: &str) -> &str {
        self.by_lang[&lang]
            .get(key)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("interface string `{key}` is missing from nb.toml"))
    }
}
