//! Who contributed to a record, as pages may say it: a person's Git name only when they agreed
//! (`content/referanse/bidragsytere.toml`, `show_name = true`), otherwise their organisation
//! from the same file, otherwise the record's own organisation: its networks, or KS for
//! `nasjonalt/`. Every place that names contributors goes through [`Site::contributors`].

use super::Site;
use crate::content::{Owner, Record};

impl Site<'_> {
    /// The record's contributors as shown: consenting people by name, everyone else as an
    /// organisation; each name once, in the order of their first change. Empty without Git.
    pub fn contributors(&self, record: &Record) -> Vec<String> {
        let Some(history) = &record.history else {
            return Vec::new();
        };
        let consents = &self.loaded.reference.contributors;
        let mut shown: Vec<String> = Vec::new();
        for author in &history.authors {
            let names = match consents.find(&author.name, &author.email) {
                Some(c) if c.show_name => vec![match &c.organisation {
                    Some(org) => format!("{} ({org})", author.name),
                    None => author.name.clone(),
                }],
                Some(c) => c.organisation.iter().cloned().collect(),
                None => self.organisations(record),
            };
            for name in names {
                if !shown.contains(&name) {
                    shown.push(name);
                }
            }
        }
        shown
    }

    /// The organisations behind a record: its networks, or KS for a national record.
    fn organisations(&self, record: &Record) -> Vec<String> {
        match &record.owner {
            Owner::National => vec!["KS".to_string()],
            Owner::Network(id) => {
                let mut names = vec![self.loaded.networks[id].name.clone()];
                for other in &record.common.networks {
                    let name = &self.loaded.networks[other].name;
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
                names
            }
        }
    }
}
