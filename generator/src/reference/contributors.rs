//! `bidragsytere.toml` (optional): the Git authors who agreed to be named on the pages, and
//! organisations to show for others. Without an entry, pages name no person: they show the
//! record's organisation instead (see `render::contributors`).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use super::FieldPositions;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// One Git author's choice.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contributor {
    /// The e-mail address or the name the author's commits carry.
    pub git: String,
    /// `true` when the person agreed to have their name shown.
    #[serde(default)]
    pub show_name: bool,
    /// The organisation to show for the person (with the name, or instead of it).
    pub organisation: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct ContributorFile {
    #[serde(default)]
    pub(super) contributor: Vec<Contributor>,
}

/// The entries by their `git` value, lower case.
#[derive(Debug, Clone, Default)]
pub struct Contributors(BTreeMap<String, Contributor>);

impl Contributors {
    /// The entry for a Git author: by e-mail address first, then by name.
    pub fn find(&self, name: &str, email: &str) -> Option<&Contributor> {
        self.0
            .get(&email.trim().to_lowercase())
            .or_else(|| self.0.get(&name.trim().to_lowercase()))
    }

    /// Checks the file's entries, reporting each problem at its line; entries with a problem
    /// are left out, so nobody is named by mistake.
    pub(super) fn checked(
        file: &Path,
        at: &FieldPositions,
        entries: Vec<Contributor>,
        diagnostics: &Diagnostics,
    ) -> Contributors {
        let mut out = BTreeMap::new();
        for (i, entry) in entries.into_iter().enumerate() {
            let problem = |field: &str, message: String, help: &str| {
                diagnostics.push(
                    Diagnostic::error(file, at.of_field(i, field), message)
                        .with_help(help.to_string()),
                );
            };
            let key = entry.git.trim().to_lowercase();
            if key.is_empty() {
                problem(
                    "git",
                    "`git` er tomt".into(),
                    "skriv e-postadressen eller navnet som står på personens commits i Git",
                );
                continue;
            }
            if entry
                .organisation
                .as_deref()
                .is_some_and(|o| o.trim().is_empty())
            {
                problem(
                    "organisation",
                    "`organisation` er tomt".into(),
                    "skriv navnet på organisasjonen, eller fjern feltet",
                );
                continue;
            }
            if !entry.show_name && entry.organisation.is_none() {
                problem(
                    "git",
                    format!("oppføringen for «{}» endrer ingenting", entry.git),
                    "skriv show_name = true hvis personen har sagt ja til å vises med navn, eller organisation = \"…\" for organisasjonen som skal vises",
                );
                continue;
            }
            if out.contains_key(&key) {
                problem(
                    "git",
                    format!("«{}» står to ganger", entry.git),
                    "slå oppføringene sammen til én",
                );
                continue;
            }
            out.insert(key, entry);
        }
        Contributors(out)
    }
}
