//! Site URLs that honour a `base_url` with a path (GitHub Pages project sites live under
//! `/<repo>/`). Pages link with root-relative paths that include that path; feeds, sitemaps and
//! canonical links use absolute URLs.

use anyhow::{Result, bail};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Urls {
    /// `https://ks-no.github.io` (no trailing slash).
    origin: String,
    /// `/deling/` (always starts and ends with `/`).
    root: String,
}

impl Urls {
    pub fn new(base_url: &str) -> Result<Urls> {
        // config.toml's value was checked when it was read; `--base-url` arrives here unchecked.
        if let Some(problem) = crate::config::web_address_problem(base_url) {
            bail!("nettstedets adresse «{base_url}» {problem}");
        }
        let Some((scheme, rest)) = base_url.split_once("://") else {
            bail!("base_url «{base_url}» må begynne med https:// eller http://");
        };
        if scheme != "https" && scheme != "http" {
            bail!("base_url «{base_url}» må begynne med https:// eller http://");
        }
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if host.is_empty() {
            bail!("base_url «{base_url}» mangler vertsnavn");
        }
        let path = path.trim_matches('/');
        let root = if path.is_empty() {
            "/".to_string()
        } else {
            format!("/{path}/")
        };
        Ok(Urls {
            origin: format!("{scheme}://{host}"),
            root,
        })
    }

    /// The root path every page link starts with.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// Root-relative URL of a site path such as `erfaringer/x/`.
    pub fn page(&self, path: &str) -> String {
        // `concat` allocates the joined length once; `format!` grows its string part by part,
        // and a large site makes a few URLs per record on every page that lists it.
        [self.root.as_str(), path.trim_start_matches('/')].concat()
    }

    /// Absolute URL, for feeds, the sitemap and canonical links.
    pub fn absolute(&self, path: &str) -> String {
        [self.origin.as_str(), &self.page(path)].concat()
    }
}

/// The four ways records are grouped, each with its pages under one folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taxonomy {
    ServiceArea,
    Solution,
    Municipality,
    Tag,
}

impl Taxonomy {
    pub const ALL: [Taxonomy; 4] = [
        Taxonomy::ServiceArea,
        Taxonomy::Solution,
        Taxonomy::Municipality,
        Taxonomy::Tag,
    ];

    /// The folder of the taxonomy's pages, which is also its URL prefix.
    pub fn folder(self) -> &'static str {
        match self {
            Taxonomy::ServiceArea => "tjenesteomrader",
            Taxonomy::Solution => "losninger",
            Taxonomy::Municipality => "kommuner",
            Taxonomy::Tag => "emneord",
        }
    }

    /// The site path of one term's page, from its slug: `losninger/fiks/`.
    pub fn term_path(self, slug: &str) -> String {
        format!("{}/{slug}/", self.folder())
    }
}

/// Where a content file is on the repository's website (GitHub): its edit form and its history.
pub fn repository_file(repository: &str, action: RepositoryAction, file: &Path) -> String {
    let action = match action {
        RepositoryAction::Edit => "edit",
        RepositoryAction::History => "commits",
    };
    format!(
        "{}/{action}/main/{}",
        repository.trim_end_matches('/'),
        file.to_string_lossy().replace('\\', "/")
    )
}

#[derive(Debug, Clone, Copy)]
pub enum RepositoryAction {
    Edit,
    History,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_a_path_prefixes_every_link() {
        let urls = Urls::new("https://ks-no.github.io/deling").unwrap();
        assert_eq!(urls.page("erfaringer/x/"), "/deling/erfaringer/x/");
        assert_eq!(urls.page(""), "/deling/");
        assert_eq!(
            urls.absolute("atom.xml"),
            "https://ks-no.github.io/deling/atom.xml"
        );
    }

    #[test]
    fn base_url_without_a_path_uses_the_root() {
        let urls = Urls::new("http://127.0.0.1:1111/").unwrap();
        assert_eq!(urls.page("sok/"), "/sok/");
        assert!(Urls::new("ks.no").is_err());
    }

    #[test]
    fn a_file_in_the_repository_is_linked_on_main_with_forward_slashes() {
        let file = Path::new("content/nasjonalt/erfaringer/x.md");
        assert_eq!(
            repository_file(
                "https://github.com/ks-no/deling/",
                RepositoryAction::Edit,
                file
            ),
            "https://github.com/ks-no/deling/edit/main/content/nasjonalt/erfaringer/x.md"
        );
        assert_eq!(
            repository_file(
                "https://github.com/ks-no/deling",
                RepositoryAction::History,
                file
            ),
            "https://github.com/ks-no/deling/commits/main/content/nasjonalt/erfaringer/x.md"
        );
        assert_eq!(Taxonomy::Tag.term_path("arkiv"), "emneord/arkiv/");
    }
}
