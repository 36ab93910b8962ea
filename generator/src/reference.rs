//! Reference data in `content/referanse/`: municipalities and counties, service areas,
//! national common solutions and ministries. Records refer to these by id and the build checks
//! every reference, so a typo becomes a message rather than a dead link.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::source::Source;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::i18n::Lang;
use crate::norwegian::slugify;

pub const REFERENCE_DIR: &str = "content/referanse";

#[derive(Debug, Clone)]
pub struct Municipality {
    /// Four-digit kommunenummer, kept as text ("0301").
    pub number: String,
    pub name: String,
    pub county: String,
}

impl Municipality {
    pub fn slug(&self) -> String {
        format!("{}-{}", self.number, slugify(&self.name))
    }
}

#[derive(Debug, Clone)]
pub struct County {
    pub number: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceArea {
    pub id: String,
    pub name_nb: String,
    pub name_nn: String,
    pub description: String,
}

impl ServiceArea {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nn => &self.name_nn,
            _ => &self.name_nb,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub url: String,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ministry {
    pub id: String,
    pub name_nb: String,
    pub name_nn: String,
    pub short: String,
}

impl Ministry {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nn => &self.name_nn,
            _ => &self.name_nb,
        }
    }
}

#[derive(Debug, Default)]
pub struct ReferenceData {
    pub municipalities: BTreeMap<String, Municipality>,
    pub counties: BTreeMap<String, County>,
    pub service_areas: BTreeMap<String, ServiceArea>,
    pub solutions: BTreeMap<String, Solution>,
    pub ministries: BTreeMap<String, Ministry>,
}

#[derive(Deserialize)]
struct ServiceAreaFile {
    service_area: Vec<ServiceArea>,
}
#[derive(Deserialize)]
struct SolutionFile {
    solution: Vec<Solution>,
}
#[derive(Deserialize)]
struct MinistryFile {
    ministry: Vec<Ministry>,
}

impl ReferenceData {
    /// Loads every reference file, reporting problems instead of stopping at the first.
    pub fn load(source: &dyn Source, diagnostics: &Diagnostics) -> ReferenceData {
        let dir = PathBuf::from(REFERENCE_DIR);
        let mut data = ReferenceData::default();
        if let Some(text) = read(source, &dir.join("kommuner.csv"), diagnostics) {
            data.load_municipalities(&dir.join("kommuner.csv"), &text, diagnostics);
        }
        if let Some(file) =
            read_toml::<ServiceAreaFile>(source, &dir.join("tjenesteomrader.toml"), diagnostics)
        {
            data.service_areas = by_id(file.service_area, |a| &a.id);
        }
        if let Some(file) =
            read_toml::<SolutionFile>(source, &dir.join("losninger.toml"), diagnostics)
        {
            data.solutions = by_id(file.solution, |s| &s.id);
        }
        if let Some(file) =
            read_toml::<MinistryFile>(source, &dir.join("departementer.toml"), diagnostics)
        {
            data.ministries = by_id(file.ministry, |m| &m.id);
        }
        data
    }

    fn load_municipalities(&mut self, file: &Path, text: &str, diagnostics: &Diagnostics) {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for (i, row) in reader.records().enumerate() {
            let line = i + 2;
            match row {
                Ok(row) if row.len() == 4 => {
                    let (number, name, county_number, county_name) =
                        (&row[0], &row[1], &row[2], &row[3]);
                    self.counties.entry(county_number.to_string()).or_insert_with(|| County {
                        number: county_number.to_string(),
                        name: county_name.to_string(),
                    });
                    self.municipalities.insert(
                        number.to_string(),
                        Municipality {
                            number: number.to_string(),
                            name: name.to_string(),
                            county: county_number.to_string(),
                        },
                    );
                }
                _ => diagnostics.push(
                    Diagnostic::error(file, Pos::new(line, 1), "linjen har ikke fire kolonner")
                        .with_help("hver linje skal være kommunenummer,kommunenavn,fylkesnummer,fylkesnavn"),
                ),
            }
        }
    }

    /// The valid kommunenummer nearest to a wrong one: first those one typo away, then the
    /// numerically closest, so "4699" suggests 4602 Kinn and "0310" suggests 0301 Oslo.
    pub fn nearest_municipalities(&self, written: &str, n: usize) -> Vec<&Municipality> {
        let value: i64 = written.parse().unwrap_or(0);
        let mut candidates: Vec<(usize, i64, &Municipality)> = self
            .municipalities
            .values()
            .map(|m| {
                let distance = strsim::levenshtein(written, &m.number);
                let numeric = (m.number.parse::<i64>().unwrap_or(0) - value).abs();
                (distance, numeric, m)
            })
            .collect();
        candidates
            .sort_by(|a, b| (a.0.min(2), a.1, &a.2.number).cmp(&(b.0.min(2), b.1, &b.2.number)));
        candidates.into_iter().take(n).map(|(_, _, m)| m).collect()
    }

    /// Municipalities of the given counties, in kommunenummer order.
    pub fn municipalities_in(&self, counties: &[String]) -> Vec<String> {
        self.municipalities
            .values()
            .filter(|m| counties.contains(&m.county))
            .map(|m| m.number.clone())
            .collect()
    }
}

fn read(source: &dyn Source, file: &Path, diagnostics: &Diagnostics) -> Option<String> {
    match source
        .read(file)
        .and_then(|bytes| String::from_utf8(bytes).map_err(std::io::Error::other))
    {
        Ok(text) => Some(text),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(
                    file,
                    Pos::START,
                    format!("kunne ikke lese referansefilen: {e}"),
                )
                .with_help("filen hører til referansedataene og må finnes"),
            );
            None
        }
    }
}

fn read_toml<T: for<'de> Deserialize<'de>>(
    source: &dyn Source,
    file: &Path,
    diagnostics: &Diagnostics,
) -> Option<T> {
    let text = read(source, file, diagnostics)?;
    match toml::from_str::<T>(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            let pos = e
                .span()
                .map_or(Pos::START, |s| Pos::at_offset(&text, s.start, Pos::START));
            diagnostics.push(Diagnostic::error(
                file,
                pos,
                format!("ugyldig referansefil: {}", e.message()),
            ));
            None
        }
    }
}

fn by_id<T>(items: Vec<T>, id: impl Fn(&T) -> &String) -> BTreeMap<String, T> {
    items
        .into_iter()
        .map(|item| (id(&item).clone(), item))
        .collect()
}
