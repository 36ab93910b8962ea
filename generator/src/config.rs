//! Site configuration from `config.toml` at the site root.
//!
//! Every text in it reaches every page (the title, the description) or decides where every link
//! points (`base_url`, `repository`), so it is held to the same rules as content: no control
//! characters, noncharacters or bidi overrides, and addresses that are plain absolute web
//! addresses a browser reads the way we do.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::Path;
use toml::de::{DeTable, DeValue};

use crate::characters::{HELP, problem_in_line};
use crate::diagnostics::visible;
use crate::files::source::links_below;
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
    /// Interface language of pages that are not one record's page, as written; `parse` turns
    /// it into `language` or refuses it.
    #[serde(rename = "language", default = "default_language")]
    language_code: String,
    #[serde(skip)]
    language: Lang,
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
    Lang::default().code().into()
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
        let mut config: Config = toml::from_str(text)?;
        check_texts(text)?;
        let line = |field: &str| line_of_field(text, field);
        if let Some(problem) = web_address_problem(&config.base_url) {
            bail!(
                "config.toml, linje {}: base_url «{}» {problem}; {ADDRESS_HELP}",
                line("base_url"),
                visible(&config.base_url)
            );
        }
        if let Some(repository) = &config.repository
            && let Some(problem) = web_address_problem(repository)
        {
            bail!(
                "config.toml, linje {}: repository «{}» {problem}; {ADDRESS_HELP}",
                line("repository"),
                visible(repository)
            );
        }
        match Lang::parse(&config.language_code) {
            Some(language) => config.language = language,
            None => bail!(
                "config.toml: language må være «nb», «nn» eller «en», ikke «{}»",
                config.language_code
            ),
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
        self.language
    }
}

/// How to write `base_url` and `repository`.
const ADDRESS_HELP: &str = "skriv hele adressen slik den står i nettleseren, med https:// foran, \
     uten mellomrom, \\, ? eller #, for eksempel «https://ks-no.github.io/deling/»";

/// What is wrong with `address` as the site's or the repository's address, if anything, in
/// Norwegian. It must be an absolute `http(s)` URL with a host and nothing a browser reads
/// differently from us: a `\` (browsers read it as `/`, so `https://x/\evil.example/` makes
/// every root-relative link `//evil.example/…`), an empty path segment (`//`) for the same
/// reason, spaces, a query, a fragment, a user name, or anything the URL standard would
/// rewrite (`..`, `%2e`, upper-case host names, default ports).
pub fn web_address_problem(address: &str) -> Option<String> {
    address_problem(address, AddressUse::LinkBase)
}

/// What is wrong with `address` as a link a reader follows (a network's website or contact
/// form), if anything: the same rules as for the site's address, except that a query and a
/// fragment are allowed, and the host must be a domain name with a dot.
pub fn link_address_problem(address: &str) -> Option<String> {
    address_problem(address, AddressUse::Link)
}

/// Whether links are built from the address (the site's and the repository's) or it is only
/// followed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AddressUse {
    LinkBase,
    Link,
}

fn address_problem(address: &str, used: AddressUse) -> Option<String> {
    let base = used == AddressUse::LinkBase;
    if let Some(problem) = problem_in_line(address) {
        return Some(problem);
    }
    if address.contains('\\') {
        return Some(
            "har en omvendt skråstrek (\\), som nettlesere leser som /, så lenkene kan peke til et annet nettsted"
                .into(),
        );
    }
    if address.chars().any(char::is_whitespace) {
        return Some("har mellomrom".into());
    }
    let Ok(url) = url::Url::parse(address) else {
        return Some("er ikke en fullstendig nettadresse (den må begynne med https://)".into());
    };
    let problem = if !matches!(url.scheme(), "https" | "http") {
        "må begynne med https:// (eller http://)".to_string()
    } else if url.host_str().is_none_or(str::is_empty) {
        "mangler vertsnavn".into()
    } else if !base && !url.host_str().is_some_and(|h| h.contains('.')) {
        "mangler et domenenavn med punktum (som eksempel.no)".into()
    } else if base && url.query().is_some() {
        "har en spørring (?…), som ikke hører hjemme i en adresse lenker bygges fra".into()
    } else if base && url.fragment().is_some() {
        "har et anker (#…), som ikke hører hjemme i en adresse lenker bygges fra".into()
    } else if !url.username().is_empty() || url.password().is_some() {
        "har brukernavn eller passord".into()
    } else if base && url.path().contains("//") {
        "har to skråstreker (//) etter hverandre i stien, så lenkene kan peke til et annet nettsted"
            .into()
    } else if url.as_str() != address && url.as_str() != format!("{address}/") {
        format!("leses av nettlesere som «{}»; skriv den slik", url.as_str())
    } else {
        return None;
    };
    Some(problem)
}

/// Refuses control characters, noncharacters and bidi overrides in every text of
/// `config.toml`, naming the field and its line. `text` has already parsed.
fn check_texts(text: &str) -> Result<()> {
    let Ok(table) = DeTable::parse(text) else {
        return Ok(());
    };
    for (key, value) in table.get_ref() {
        let mut strings = Vec::new();
        match value.get_ref() {
            DeValue::String(s) => strings.push((s.as_ref(), value.span())),
            DeValue::Array(items) => {
                for item in items {
                    if let DeValue::String(s) = item.get_ref() {
                        strings.push((s.as_ref(), item.span()));
                    }
                }
            }
            _ => {}
        }
        for (string, span) in strings {
            if let Some(problem) = problem_in_line(string) {
                bail!(
                    "config.toml, linje {}: {} {problem}; {HELP}",
                    line_at(text, span.start),
                    key.get_ref()
                );
            }
        }
    }
    Ok(())
}

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line of a top-level field's value in a `config.toml` that has parsed.
fn line_of_field(text: &str, field: &str) -> usize {
    DeTable::parse(text)
        .ok()
        .and_then(|table| {
            table
                .get_ref()
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == field)
                .map(|(_, value)| line_at(text, value.span().start))
        })
        .unwrap_or(1)
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
    fn the_language_is_read_once_and_an_unknown_one_refused() {
        assert_eq!(Config::parse(MINIMAL).unwrap().language(), Lang::Nb);
        let nynorsk = Config::parse(&format!("{MINIMAL}language = \"nn\"\n")).unwrap();
        assert_eq!(nynorsk.language(), Lang::Nn);
        let error = Config::parse(&format!("{MINIMAL}language = \"se\"\n"))
            .expect_err("se")
            .to_string();
        assert!(
            error.contains("language må være «nb», «nn» eller «en», ikke «se»"),
            "{error}"
        );
    }

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

    #[test]
    fn base_url_with_a_backslash_is_refused() {
        let with = |url: &str| MINIMAL.replace("https://example.org/", url);
        for good in [
            "https://example.org/",
            "https://example.org",
            "https://ks-no.github.io/deling/",
            "https://ks-no.github.io/deling",
            "http://127.0.0.1:1111/",
            "http://localhost:8000/",
        ] {
            assert!(Config::parse(&with(good)).is_ok(), "{good}");
        }
        for (bad, why) in [
            (r"https://x/\\evil.example/", "omvendt skråstrek"),
            (r"https:\\\\evil.example/", "omvendt skråstrek"),
            ("https://x//evil.example/", "to skråstreker"),
            ("https://x/a/../", "leses av nettlesere som «https://x/»"),
            ("https://x/%2e%2e/", "leses av nettlesere som «https://x/»"),
            (
                "https://EXAMPLE.org/",
                "leses av nettlesere som «https://example.org/»",
            ),
            ("https://example.org/?a=b", "spørring"),
            ("https://example.org/?", "spørring"),
            ("https://example.org/#x", "anker"),
            ("https://kari:hemmelig@example.org/", "brukernavn"),
            ("https://exam ple.org/", "mellomrom"),
            ("https://example.org/\\u0009", "mellomrom"),
            ("ftp://example.org/", "må begynne med https://"),
            ("javascript:alert(1)", "må begynne med https://"),
            ("//evil.example/", "fullstendig nettadresse"),
            ("example.org", "fullstendig nettadresse"),
            ("https://", "fullstendig nettadresse"),
        ] {
            let error = format!("{:#}", Config::parse(&with(bad)).expect_err(bad));
            assert!(
                error.starts_with("config.toml, linje 1: base_url «"),
                "{error}"
            );
            assert!(error.contains(why), "{bad}: {error}");
            assert!(error.contains(ADDRESS_HELP), "{error}");
        }
        let repository = format!("{MINIMAL}repository = \"https://github.com\\\\evil.example\"\n");
        let error = Config::parse(&repository)
            .expect_err("a backslash")
            .to_string();
        assert!(
            error.starts_with("config.toml, linje 4: repository «"),
            "{error}"
        );
    }

    #[test]
    fn control_characters_in_config_title_are_refused() {
        for (field, value, code) in [
            ("title", "x\\b", "U+0008"),
            ("title", "x\\u0001", "U+0001"),
            ("title", "x\\uFFFE", "U+FFFE"),
            ("description", "x\\u202E", "U+202E"),
            ("description", "x\\r", "linjeskift"),
        ] {
            let text = MINIMAL.replace(
                &format!("{field} = \"x\""),
                &format!("{field} = \"{value}\""),
            );
            let error = Config::parse(&text).expect_err(value).to_string();
            let line = if field == "title" { 2 } else { 3 };
            assert!(
                error.starts_with(&format!("config.toml, linje {line}: {field} inneholder")),
                "{error}"
            );
            assert!(error.contains(code), "{error}");
            assert!(error.contains(HELP), "{error}");
        }
        let reviewers = format!("{MINIMAL}reviewers = [\n  \"@a\",\n  \"@b\\u0007\",\n]\n");
        let error = Config::parse(&reviewers).expect_err("a bell").to_string();
        assert!(
            error.starts_with("config.toml, linje 6: reviewers inneholder U+0007"),
            "{error}"
        );
    }
}
