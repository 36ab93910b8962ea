//! Reference data in `content/referanse/`: municipalities and counties, service areas,
//! national common solutions and ministries. Records refer to these by id and the build checks
//! every reference, so a typo becomes a message rather than a dead link.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::files::names::is_slug;
use crate::files::source::{Source, read_text};
use crate::i18n::Lang;
use crate::norwegian::slugify;

pub use crate::paths::REFERENCE_DIR;
mod contributors;
pub use contributors::{Contributor, Contributors};

use crate::paths::{
    CONTRIBUTORS_FILE, MINISTRIES_FILE, MUNICIPALITIES_FILE, RENUMBERING_FILE, SERVICE_AREAS_FILE,
    SOLUTIONS_FILE, SYNONYMS_FILE, reference_file,
};

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
    /// Groups of words that mean the same, for search (`synonymer.toml`; optional).
    pub synonyms: Vec<Vec<String>>,
    /// Kommunenummer that changed on 1 January 2024, old → new (`kommunenummer-endringer.csv`;
    /// optional), so an old number gets its new one as the fix.
    pub renumbered: BTreeMap<String, String>,
    /// Git authors who agreed to be named, and organisations for others
    /// (`bidragsytere.toml`; optional).
    pub contributors: Contributors,
}

/// What a kommunenummer that is not valid most likely meant.
#[derive(Debug)]
pub enum Likely<'a> {
    /// A number from before 1 January 2024, and the municipality's number today.
    Renumbered(&'a Municipality),
    /// Valid numbers with two of the written digits swapped, the network's counties first.
    Swapped(Vec<&'a Municipality>),
    /// Municipalities with the written name, the network's counties first.
    Named(Vec<&'a Municipality>),
    /// Nothing better: the nearest numbers.
    Nearest(Vec<&'a Municipality>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymGroup {
    words: Vec<String>,
}

#[derive(Deserialize)]
struct SynonymFile {
    #[serde(default)]
    group: Vec<SynonymGroup>,
}

/// The most entries a synonym group may have: more are rarely one meaning.
const MAX_SYNONYMS: usize = 12;

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
        if let Some(text) = read(source, &dir.join(MUNICIPALITIES_FILE), diagnostics) {
            // CSV has no escapes: what is in the text is what reaches the pages. (Line ends
            // may be CRLF, as spreadsheets save them.)
            let unwanted_in_cells = text
                .char_indices()
                .filter(|(_, c)| *c != '\r')
                .find_map(|(at, c)| crate::characters::unwanted(c).map(|kind| (at, c, kind)));
            if let Some((at, c, kind)) = unwanted_in_cells {
                let pos = Pos::at_offset(&text, at, Pos::START);
                diagnostics.push(Diagnostic::unwanted_character(
                    &dir.join(MUNICIPALITIES_FILE),
                    pos,
                    c,
                    kind,
                ));
            }
            data.load_municipalities(&dir.join(MUNICIPALITIES_FILE), &text, diagnostics);
        }
        let file = dir.join(SERVICE_AREAS_FILE);
        if let Some((parsed, at)) =
            read_toml::<ServiceAreaFile>(source, &file, "service_area", diagnostics)
        {
            data.service_areas = by_id(&file, &at, parsed.service_area, |a| &a.id, diagnostics);
        }
        let file = dir.join(SOLUTIONS_FILE);
        if let Some((parsed, at)) =
            read_toml::<SolutionFile>(source, &file, "solution", diagnostics)
        {
            // Each solution page links to its url: only web addresses, never `javascript:`.
            for (i, solution) in parsed.solution.iter().enumerate() {
                if !(solution.url.starts_with("https://") || solution.url.starts_with("http://")) {
                    diagnostics.push(
                        Diagnostic::error(
                            &file,
                            at.of_field(i, "url"),
                            format!(
                                "«{}» i `url` for «{}» er ikke en nettadresse",
                                solution.url, solution.id
                            ),
                        )
                        .with_help("skriv hele adressen, som begynner med https://"),
                    );
                }
            }
            data.solutions = by_id(&file, &at, parsed.solution, |s| &s.id, diagnostics);
        }
        let file = dir.join(MINISTRIES_FILE);
        if let Some((parsed, at)) =
            read_toml::<MinistryFile>(source, &file, "ministry", diagnostics)
        {
            data.ministries = by_id(&file, &at, parsed.ministry, |m| &m.id, diagnostics);
        }
        data.load_optional(source, &dir, diagnostics);
        data
    }

    /// The reference files a site may do without: the 2024 renumbering, synonyms and
    /// contributors.
    fn load_optional(&mut self, source: &dyn Source, dir: &Path, diagnostics: &Diagnostics) {
        let file = dir.join(RENUMBERING_FILE);
        // Optional: a site made after the next reform may not need it.
        let present =
            !matches!(source.read(&file), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
        if present && let Some(text) = read(source, &file, diagnostics) {
            self.load_renumbering(&file, &text, diagnostics);
        }
        let file = dir.join(SYNONYMS_FILE);
        // Optional: a new site has no synonyms yet.
        let present =
            !matches!(source.read(&file), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
        if present
            && let Some((parsed, at)) =
                read_toml::<SynonymFile>(source, &file, "group", diagnostics)
        {
            self.synonyms = synonym_groups(&file, &at, parsed.group, diagnostics);
        }
        let file = dir.join(CONTRIBUTORS_FILE);
        let present =
            !matches!(source.read(&file), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
        if present
            && let Some((parsed, at)) = read_toml::<contributors::ContributorFile>(
                source,
                &file,
                "contributor",
                diagnostics,
            )
        {
            self.contributors = Contributors::checked(&file, &at, parsed.contributor, diagnostics);
        }
    }

    fn load_municipalities(&mut self, file: &Path, text: &str, diagnostics: &Diagnostics) {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for row in reader.records() {
            // The reader's own count: it skips blank lines, and a quoted name may span lines.
            let position = match &row {
                Ok(row) => row.position(),
                Err(e) => e.position(),
            };
            let line = position.map_or(1, |p| p.line() as usize);
            match row {
                Ok(row) if row.len() == 4 => {
                    let (number, name, county_number, county_name) =
                        (&row[0], &row[1], &row[2], &row[3]);
                    // Both numbers become part of addresses (`kommuner/0301-oslo/`).
                    const FORM: &str = "hver linje skal være kommunenummer,kommunenavn,fylkesnummer,fylkesnavn, for eksempel 0301,Oslo,03,Oslo";
                    let problem = if !is_digits(number, 4) {
                        Some((format!("«{number}» er ikke et kommunenummer (fire sifre)"), FORM.to_string()))
                    } else if !is_digits(county_number, 2) {
                        Some((format!("«{county_number}» er ikke et fylkesnummer (to sifre)"), FORM.to_string()))
                    } else if name.chars().count() > MAX_NAME {
                        Some((
                            format!("kommunenavnet på linje {line} er for langt ({} tegn)", name.chars().count()),
                            format!("navnet blir en del av nettadressen; bruk høyst {MAX_NAME} tegn"),
                        ))
                    } else if self.municipalities.contains_key(number) {
                        Some((
                            format!("kommunenummeret «{number}» står på to linjer"),
                            "hver kommune står bare én gang; slett den ene linjen, eller rett nummeret".to_string(),
                        ))
                    } else {
                        None
                    };
                    if let Some((message, help)) = problem {
                        diagnostics.push(Diagnostic::error(file, Pos::new(line, 1), message).with_help(help));
                        continue;
                    }
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

    /// `gammelt,nytt,kommunenavn` rows: each old number must not be valid today, each new one
    /// must be.
    fn load_renumbering(&mut self, file: &Path, text: &str, diagnostics: &Diagnostics) {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for row in reader.records() {
            let line = match &row {
                Ok(row) => row.position(),
                Err(e) => e.position(),
            }
            .map_or(1, |p| p.line() as usize);
            const FORM: &str = "hver linje skal være gammelt nummer,nytt nummer,kommunenavn, for eksempel 3005,3301,Drammen";
            let problem = match &row {
                Ok(row) if row.len() == 3 => {
                    let (old, new) = (&row[0], &row[1]);
                    if !is_digits(old, 4) || !is_digits(new, 4) {
                        Some((
                            format!("«{old}» eller «{new}» er ikke et kommunenummer (fire sifre)"),
                            FORM.to_string(),
                        ))
                    } else if self.municipalities.contains_key(old) {
                        Some((
                            format!("det gamle nummeret «{old}» er et kommunenummer i dag"),
                            "bare nummer som ikke lenger brukes, hører hjemme her; slett linjen"
                                .to_string(),
                        ))
                    } else if !self.municipalities.contains_key(new) {
                        Some((
                            format!("det nye nummeret «{new}» står ikke i kommuner.csv"),
                            format!(
                                "rett nummeret til kommunens nummer i {}",
                                reference_file(MUNICIPALITIES_FILE)
                            ),
                        ))
                    } else {
                        self.renumbered.insert(old.to_string(), new.to_string());
                        None
                    }
                }
                _ => Some(("linjen har ikke tre kolonner".to_string(), FORM.to_string())),
            };
            if let Some((message, help)) = problem {
                diagnostics
                    .push(Diagnostic::error(file, Pos::new(line, 1), message).with_help(help));
            }
        }
    }

    /// The valid kommunenummer nearest to a wrong one: first those one typo away, then the
    /// numerically closest, so "4699" suggests 4602 Kinn and "0310" suggests 0301 Oslo.
    pub fn nearest_municipalities(&self, written: &str, n: usize) -> Vec<&Municipality> {
        self.nearest_preferring(written, &[], n)
    }

    /// As [`Self::nearest_municipalities`], but of the numbers one typo away, those in
    /// `counties` (the network's own) come first.
    pub fn nearest_preferring(
        &self,
        written: &str,
        counties: &[String],
        n: usize,
    ) -> Vec<&Municipality> {
        let value: i64 = written.parse().unwrap_or(0);
        let mut candidates: Vec<((usize, bool, i64), &Municipality)> = self
            .municipalities
            .values()
            .map(|m| {
                let distance = strsim::levenshtein(written, &m.number).min(2);
                let elsewhere = distance < 2 && !counties.contains(&m.county);
                let numeric = (m.number.parse::<i64>().unwrap_or(0) - value).abs();
                ((distance, elsewhere, numeric), m)
            })
            .collect();
        candidates.sort_by(|a, b| (a.0, &a.1.number).cmp(&(b.0, &b.1.number)));
        candidates.into_iter().take(n).map(|(_, m)| m).collect()
    }

    /// Municipalities whose name is `written`, ignoring case, a trailing «kommune», and which
    /// of a Sami or Kven parallel name is used («Karasjok» finds «Kárášjohka - Karasjok»). A
    /// county picks among equal names: «Herøy (Nordland)» or «Herøy i Nordland». The one
    /// matcher for names, used by `check`'s advice and by the issue-form import.
    pub fn municipality_named(&self, written: &str) -> Vec<&Municipality> {
        let fold = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        // Either part of a double name («Trondheim - Tråante»), or the whole.
        let is = |name: &str, wanted: &str| {
            fold(name) == wanted || name.split(" - ").any(|part| fold(part) == wanted)
        };
        let written = fold(written);
        let (name, county) = match written.split_once('(') {
            Some((name, rest)) => (name.trim(), Some(rest.trim_end_matches(')').trim())),
            None => match written.rsplit_once(" i ") {
                // «i» names a county only if one has that name: «Sande i Vestfold» is not.
                Some((name, county)) if self.counties.values().any(|c| is(&c.name, county)) => {
                    (name.trim(), Some(county))
                }
                _ => (written.as_str(), None),
            },
        };
        let name = name.strip_suffix(" kommune").map_or(name, str::trim);
        if name.is_empty() {
            return Vec::new();
        }
        self.municipalities
            .values()
            .filter(|m| is(&m.name, name))
            .filter(|m| {
                county.is_none_or(|county| {
                    self.counties
                        .get(&m.county)
                        .is_some_and(|c| is(&c.name, county))
                })
            })
            .collect()
    }

    /// What a kommunenummer (or name) that is not valid most likely meant, preferring the
    /// municipalities of `counties`: an old number's new one, a number with two digits
    /// swapped, a municipality of that name, or else the nearest numbers.
    pub fn likely_municipality(&self, written: &str, counties: &[String]) -> Likely<'_> {
        let written = written.trim();
        if let Some(new) = self.renumbered.get(written)
            && let Some(m) = self.municipalities.get(new)
        {
            return Likely::Renumbered(m);
        }
        if is_digits(written, 4) {
            let digits: Vec<char> = written.chars().collect();
            let mut swapped = Vec::new();
            for i in 0..digits.len() {
                for j in i + 1..digits.len() {
                    if digits[i] == digits[j] {
                        continue;
                    }
                    let mut other = digits.clone();
                    other.swap(i, j);
                    let other: String = other.into_iter().collect();
                    if let Some(m) = self.municipalities.get(&other) {
                        // Neighbours first: that is how fingers swap digits.
                        swapped.push((j - i > 1, m));
                    }
                }
            }
            if !swapped.is_empty() {
                swapped.sort_by_key(|(far, m)| (!counties.contains(&m.county), *far));
                return Likely::Swapped(swapped.into_iter().map(|(_, m)| m).collect());
            }
        } else if written.chars().any(char::is_alphabetic) {
            let mut named = self.municipality_named(written);
            if !named.is_empty() {
                named.sort_by_key(|m| !counties.contains(&m.county));
                return Likely::Named(named);
            }
        }
        Likely::Nearest(self.nearest_preferring(written, counties, 3))
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
    read_text(source, file, "referansefilen")
        .map_err(|mut problem| {
            problem
                .help
                .get_or_insert_with(|| "filen hører til referansedataene og må finnes".into());
            diagnostics.push(problem);
        })
        .ok()
}

/// A reference file's items, typed, and where their fields are written.
fn read_toml<T: for<'de> Deserialize<'de>>(
    source: &dyn Source,
    file: &Path,
    items: &str,
    diagnostics: &Diagnostics,
) -> Option<(T, FieldPositions)> {
    let text = read(source, file, diagnostics)?;
    match toml::from_str::<T>(&text) {
        Ok(value) => {
            report_unwanted_characters(file, &text, diagnostics);
            Some((value, FieldPositions::of(&text, items)))
        }
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

/// The synonym groups that are usable: each needs two entries or more, each entry letters or
/// digits, and no entry may be in two groups (a search for it would mean two things). Problems
/// are reported at the group's `words`.
fn synonym_groups(
    file: &Path,
    at: &FieldPositions,
    groups: Vec<SynonymGroup>,
    diagnostics: &Diagnostics,
) -> Vec<Vec<String>> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, group) in groups.into_iter().enumerate() {
        let pos = at.of_field(i, "words");
        let problem = |message: String, help: &str| {
            diagnostics.push(Diagnostic::error(file, pos, message).with_help(help.to_string()));
        };
        let words: Vec<String> = group.words.iter().map(|w| w.trim().to_string()).collect();
        if words.len() < 2 || words.len() > MAX_SYNONYMS {
            problem(
                format!(
                    "gruppen har {} ord; den må ha fra 2 til {MAX_SYNONYMS}",
                    words.len()
                ),
                r#"en gruppe lister ord som betyr det samme, for eksempel words = ["nettfiske", "phishing"]"#,
            );
            continue;
        }
        if let Some(word) = words.iter().find(|w| !w.chars().any(char::is_alphanumeric)) {
            problem(
                format!("«{word}» har ingen bokstaver eller tall"),
                "skriv ordet, eller fjern det fra gruppen",
            );
            continue;
        }
        let mut usable = true;
        for word in &words {
            if let Some(other) = seen.insert(word.to_lowercase(), i) {
                usable = false;
                let message = if other == i {
                    format!("«{word}» står to ganger i gruppen")
                } else {
                    format!("«{word}» står også i gruppe nummer {}", other + 1)
                };
                problem(
                    message,
                    "et ord kan bare være i én gruppe; slå gruppene sammen hvis de betyr det samme, eller fjern ordet fra den ene",
                );
            }
        }
        if usable {
            out.push(words);
        }
    }
    out
}

/// Reports every text value of a TOML file that holds a control character, a noncharacter or
/// a bidi override, written as it is or as an escape (`\u0001`): names and descriptions reach
/// every page, feed and the open data.
fn report_unwanted_characters(file: &Path, text: &str, diagnostics: &Diagnostics) {
    fn visit(
        value: &toml::Spanned<DeValue<'_>>,
        found: &mut Vec<(usize, char, crate::characters::Unwanted)>,
    ) {
        match value.get_ref() {
            DeValue::String(s) => {
                if let Some((_, c, kind)) = crate::characters::first_unwanted(s) {
                    found.push((value.span().start, c, kind));
                }
            }
            DeValue::Array(items) => items.iter().for_each(|item| visit(item, found)),
            DeValue::Table(table) => table.iter().for_each(|(_, item)| visit(item, found)),
            _ => {}
        }
    }
    let Ok(table) = DeTable::parse(text) else {
        return;
    };
    let mut found = Vec::new();
    for (_, value) in table.get_ref().iter() {
        visit(value, &mut found);
    }
    for (at, c, kind) in found {
        diagnostics.push(Diagnostic::unwanted_character(
            file,
            Pos::at_offset(text, at, Pos::START),
            c,
            kind,
        ));
    }
}

/// Names and ids become folder names in the built site, which file systems limit to 255 bytes.
const MAX_NAME: usize = 100;

fn is_digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

/// An id becomes part of addresses (`tjenesteomrader/<id>/`), so it must be a plain slug: an id
/// such as `../../x` would otherwise name a file outside the built site.
fn is_id(id: &str) -> bool {
    is_slug(id) && id.len() <= MAX_NAME
}

/// Items by id. An id that cannot be an address, or that is used twice, is reported and left
/// out (the first of two is kept).
fn by_id<T>(
    file: &Path,
    at: &FieldPositions,
    items: Vec<T>,
    id: impl Fn(&T) -> &String,
    diagnostics: &Diagnostics,
) -> BTreeMap<String, T> {
    let mut out = BTreeMap::new();
    for (i, item) in items.into_iter().enumerate() {
        let key = id(&item).clone();
        let pos = at.of_field(i, "id");
        if !is_id(&key) {
            diagnostics.push(
                Diagnostic::error(file, pos, format!("«{key}» kan ikke brukes som id"))
                    .with_help(if crate::files::names::is_windows_device_name(&key) {
                        format!("id-en blir et mappenavn, og «{key}» er et navn Windows holder av for en enhet; velg et annet ord")
                    } else {
                        format!(
                            "id-en blir en del av nettadressen; bruk bare små bokstaver a–z, tall og bindestrek{}",
                            match slugify(&key) {
                                better if better.is_empty() => String::new(),
                                better => format!(", for eksempel «{better}»"),
                            }
                        )
                    }),
            );
        } else if let std::collections::btree_map::Entry::Vacant(slot) = out.entry(key.clone()) {
            slot.insert(item);
        } else {
            diagnostics.push(
                Diagnostic::error(file, pos, format!("id-en «{key}» står to ganger")).with_help(
                    "hver id kan bare brukes én gang; gi den ene en annen id, eller slett den",
                ),
            );
        }
    }
    out
}

/// Where each field of each item of a TOML array of tables is written (`[[solution]]` …), for
/// reports on values found wrong after typed parsing.
struct FieldPositions(Vec<BTreeMap<String, Pos>>);

impl FieldPositions {
    /// Reads the positions from the same text the typed parse accepted.
    fn of(text: &str, items: &str) -> FieldPositions {
        let Ok(table) = DeTable::parse(text) else {
            return FieldPositions(Vec::new());
        };
        let Some(DeValue::Array(items)) = table.get_ref().get(items).map(|v| v.get_ref()) else {
            return FieldPositions(Vec::new());
        };
        let fields = |item: &toml::Spanned<DeValue>| match item.get_ref() {
            DeValue::Table(fields) => fields
                .iter()
                .map(|(key, value)| {
                    let pos = Pos::at_offset(text, value.span().start, Pos::START);
                    (key.get_ref().to_string(), pos)
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        FieldPositions(items.iter().map(fields).collect())
    }

    /// The position of item `index`'s `field`, or the file's start if unknown.
    fn of_field(&self, index: usize, field: &str) -> Pos {
        self.0
            .get(index)
            .and_then(|fields| fields.get(field))
            .copied()
            .unwrap_or(Pos::START)
    }
}
