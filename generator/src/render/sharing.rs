//! What a page tells the places it is shared to and reused in: the Open Graph and Twitter card
//! tags a link pasted into Teams, Slack or e-mail becomes a card from, the page's absolute
//! address (canonical link, and the printout), a record's own feed, and the licence of the
//! content and the open data. Computed here, so `base.html` only prints it.

use serde::Serialize;

use super::Site;
use super::plan::{Listing, Taxonomy};
use crate::content::{Record, RecordKind};
use crate::i18n::Lang;

/// The licence of the content and the open data.
///
/// NLOD 2.0, the Norwegian government's licence for open data: the records are shared by
/// municipalities and KS, public bodies whose own guidance (Digdir's) recommends NLOD; it is in
/// Norwegian, written for Norwegian law (it says what holds for personal data and exempt
/// information), and it is expressly compatible with CC BY 4.0, so reusers abroad may treat the
/// data as CC BY 4.0 and lose nothing. It asks only for attribution, as CC BY does.
#[derive(Serialize, Clone, Copy)]
pub struct Licence {
    pub name: &'static str,
    /// The SPDX identifier.
    pub id: &'static str,
    pub url: &'static str,
}

pub const LICENCE: Licence = Licence {
    name: "Norsk lisens for offentlige data (NLOD) 2.0",
    id: "NLOD-2.0",
    url: "https://data.norge.no/nlod/no/2.0",
};

/// The page's description and the tags made from it, for `base.html`'s head.
#[derive(Serialize)]
pub struct PageMeta {
    /// The page's own title (`og:title`), without the site's name.
    pub title: String,
    /// `description` and `og:description` (X reads Open Graph's, so there is no `twitter:description`).
    pub description: String,
    /// The page's absolute address: `og:url`, the canonical link and the printout's address.
    pub url: String,
    /// `article` for a record, `website` for every other page.
    pub og_type: &'static str,
    /// `og:locale`: `nb_NO`, `nn_NO` or `en_GB`.
    pub locale: &'static str,
    pub site_name: String,
    /// A record's own Atom feed (root-relative), linked from its head and byline.
    pub feed: Option<String>,
    pub licence: Licence,
}

fn locale(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb => "nb_NO",
        Lang::Nn => "nn_NO",
        Lang::En => "en_GB",
    }
}

impl PageMeta {
    /// A page that is not a record's: described by the site's description.
    pub fn new(site: &Site<'_>, lang: Lang, title: &str, path: &str) -> PageMeta {
        let config = &site.loaded.config;
        PageMeta {
            title: title.to_string(),
            description: config.description.clone(),
            url: site.urls.absolute(path),
            og_type: "website",
            locale: locale(lang),
            site_name: config.title.clone(),
            feed: None,
            licence: LICENCE,
        }
    }

    /// The same page described by its own summary.
    pub fn described(self, description: &str) -> PageMeta {
        PageMeta {
            description: description.to_string(),
            ..self
        }
    }

    /// A page of a list, described by what the list is of: a kind's introduction, a network's
    /// summary, a service area's or solution's description.
    pub fn list(site: &Site<'_>, of: &Listing, title: &str, path: &str) -> PageMeta {
        let meta = PageMeta::new(site, site.lang, title, path);
        let reference = &site.loaded.reference;
        let kind_intro = |kind: RecordKind| {
            let key = format!("{}s_intro", kind.id());
            site.strings.get(site.lang, &key).to_string()
        };
        let description = match of {
            Listing::Kind(kind) => kind_intro(*kind),
            Listing::ProjectsByPhase => kind_intro(RecordKind::Project),
            Listing::Register(filter) => {
                kind_intro(filter.as_ref().map_or(RecordKind::Barrier, |f| f.kind))
            }
            Listing::Network(id) => site.loaded.networks[id].summary.clone(),
            Listing::Term(term) => match term.taxonomy {
                Taxonomy::ServiceArea => reference.service_areas[&term.key].description.clone(),
                Taxonomy::Solution => reference.solutions[&term.key].description.clone(),
                Taxonomy::Municipality | Taxonomy::Tag => return meta,
            },
            Listing::All | Listing::Changed => return meta,
        };
        meta.described(&description)
    }

    /// A record's page: an article, described by its summary, with its own feed.
    pub fn record(site: &Site<'_>, record: &Record) -> PageMeta {
        let c = &record.common;
        PageMeta {
            og_type: "article",
            feed: Some(site.urls.page(&super::record_feed::path(record))),
            ..PageMeta::new(site, c.language, &c.title, &record.path()).described(&c.summary)
        }
    }
}
